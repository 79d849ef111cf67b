package dev.socketdeck.codec;

import java.util.Arrays;

/**
 * The bytes of one incomplete frame, held by a decoder until the rest of the frame arrives.
 * Holds no array at all until the first byte (an idle connection costs nothing), then grows
 * geometrically from {@value #INITIAL_CAPACITY} bytes up to a limit. Once emptied it lets go of
 * an array bigger than {@value #RETAINED_CAPACITY} bytes, so that one large frame does not pin
 * memory for the life of the connection.
 */
final class FrameBuffer {

	static final int INITIAL_CAPACITY = 256;

	static final int RETAINED_CAPACITY = 4096;

	/** The largest {@code maxFrameBytes} a decoder accepts (leaves room for a delimiter). */
	static final int MAX_FRAME_BYTES_LIMIT = Integer.MAX_VALUE - 16;

	private static final byte[] NONE = {};

	private final int limit;

	private byte[] bytes = NONE;

	private int length;

	/** @param limit the most bytes this buffer will ever hold */
	FrameBuffer(int limit) {
		this.limit = limit;
	}

	/** Checks a decoder's {@code maxFrameBytes} argument. */
	static int checkMaxFrameBytes(int maxFrameBytes) {
		if (maxFrameBytes < 1 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
			throw new IllegalArgumentException(
					"maxFrameBytes must be between 1 and " + MAX_FRAME_BYTES_LIMIT + ", not " + maxFrameBytes);
		}
		return maxFrameBytes;
	}

	int length() {
		return this.length;
	}

	int capacity() {
		return this.bytes.length;
	}

	/** The last byte held; only when {@code length() > 0}. */
	byte last() {
		return this.bytes[this.length - 1];
	}

	void append(byte[] src, int off, int len) {
		int needed = this.length + len;
		if (needed > this.bytes.length) {
			grow(needed);
		}
		System.arraycopy(src, off, this.bytes, this.length, len);
		this.length = needed;
	}

	private void grow(int needed) {
		if (needed > this.limit) {
			// the decoders check the max frame size before appending
			throw new IllegalStateException("frame buffer limit " + this.limit + " exceeded: " + needed);
		}
		long capacity = Math.max(INITIAL_CAPACITY, this.bytes.length * 2L);
		this.bytes = Arrays.copyOf(this.bytes, (int) Math.min(Math.max(capacity, needed), this.limit));
	}

	/** Returns the first {@code frameLength} held bytes as a new array and empties the buffer. */
	byte[] take(int frameLength) {
		byte[] frame = Arrays.copyOf(this.bytes, frameLength);
		clear();
		return frame;
	}

	/**
	 * Returns a new array of {@code frameLength} bytes: the held bytes (as many as fit), then
	 * bytes from {@code src[off]}; empties the buffer.
	 */
	byte[] take(int frameLength, byte[] src, int off) {
		int fromHeld = Math.min(this.length, frameLength);
		// copyOf, not new byte[]: the JIT skips zeroing what arraycopy overwrites anyway
		byte[] frame = Arrays.copyOf(this.bytes, frameLength);
		System.arraycopy(src, off, frame, fromHeld, frameLength - fromHeld);
		clear();
		return frame;
	}

	void clear() {
		this.length = 0;
		if (this.bytes.length > RETAINED_CAPACITY) {
			this.bytes = NONE;
		}
	}
}
