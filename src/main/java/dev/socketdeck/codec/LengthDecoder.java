package dev.socketdeck.codec;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Length framing: a 1, 2 or 4 byte big-endian unsigned length, then that many bytes of
 * payload. The frame is the payload alone. With a 2-byte prefix:
 *
 * <pre>
 *   wire (7 bytes)                              frames
 * +-----------+----------------+-----------+    +-------+  +----+
 * | 0x00 0x03 | 0x61 0x62 0x63 | 0x00 0x00 | -> | "abc" |  | "" |
 * +-----------+----------------+-----------+    +-------+  +----+
 *     length       payload         length
 * </pre>
 *
 * A declared length above the max frame size is reported to {@link FrameSink#oversized} as
 * soon as the prefix is read; exactly that many bytes are then skipped and decoding goes on
 * with the next prefix. A 4-byte length is unsigned (up to 4 GiB - 1).
 *
 * <p>{@link #pending()} is the number of bytes of the current frame seen so far, prefix
 * included (also while an over-long frame is being skipped); {@link #takePartial()} is always
 * null, since part of a payload means nothing.
 */
final class LengthDecoder implements FrameDecoder {

	private final int lengthBytes;

	private final int maxFrameBytes;

	private final FrameBuffer held;

	/** How many bytes of the current frame's prefix have been read. */
	private int prefixRead;

	/** The current frame's declared length, as far as its prefix has been read. */
	private long declared;

	/** Payload bytes of the current frame still to come, once the prefix is complete. */
	private long remaining;

	/** The current frame is over-long and its payload is being skipped. */
	private boolean skipping;

	LengthDecoder(int lengthBytes, int maxFrameBytes) {
		if (lengthBytes != 1 && lengthBytes != 2 && lengthBytes != 4) {
			throw new IllegalArgumentException("lengthBytes must be 1, 2 or 4, not " + lengthBytes);
		}
		this.lengthBytes = lengthBytes;
		this.maxFrameBytes = FrameBuffer.checkMaxFrameBytes(maxFrameBytes);
		this.held = new FrameBuffer(maxFrameBytes);
	}

	@Override
	public void decode(byte[] buf, int off, int len, FrameSink sink) {
		Objects.checkFromIndexSize(off, len, buf.length);
		int end = off + len;
		int p = off;
		while (p < end) {
			if (this.prefixRead < this.lengthBytes) {
				do {
					this.declared = (this.declared << 8) | (buf[p++] & 0xFF);
				}
				while (++this.prefixRead < this.lengthBytes && p < end);
				if (this.prefixRead < this.lengthBytes) {
					return;
				}
				this.remaining = this.declared;
				if (this.declared > this.maxFrameBytes) {
					this.skipping = true;
					sink.oversized(this.declared, this.maxFrameBytes);
				}
			}
			// the payload, or as much of it as this read holds (maybe none: p may be at the end)
			int from = p;
			int n = (int) Math.min(end - p, this.remaining);
			p += n;
			this.remaining -= n;
			if (this.skipping) {
				if (this.remaining == 0) {
					nextFrame();
				}
			}
			else if (this.remaining > 0) {
				this.held.append(buf, from, n);
			}
			else {
				byte[] frame = (this.held.length() == 0) ? Arrays.copyOfRange(buf, from, p)
						: this.held.take(this.held.length() + n, buf, from);
				nextFrame();
				sink.frame(frame);
			}
		}
	}

	private void nextFrame() {
		this.prefixRead = 0;
		this.declared = 0;
		this.remaining = 0;
		this.skipping = false;
	}

	@Override
	public int pending() {
		if (this.prefixRead < this.lengthBytes) {
			return this.prefixRead;
		}
		return (int) Math.min(this.prefixRead + this.declared - this.remaining, Integer.MAX_VALUE);
	}

	@Override
	public byte @Nullable [] takePartial() {
		return null;
	}
}
