package dev.socketdeck.codec;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Raw framing: whatever one read returns is a frame, like the tutorials' {@code recv(1024)}.
 * There are no boundaries on the wire; a read longer than the max frame size is cut into
 * frames of at most that size.
 *
 * <pre>
 *   read 1 (5 bytes)    read 2 (3 bytes)         frames
 * +-------------------+-------------+       +---------+  +-------+
 * | h  e  l  l  o     | b  y  e     | ----> | "hello" |  | "bye" |
 * +-------------------+-------------+       +---------+  +-------+
 * </pre>
 *
 * Never holds anything: {@link #pending()} is always 0 and {@link #takePartial()} null.
 */
final class RawDecoder implements FrameDecoder {

	private final int maxFrameBytes;

	RawDecoder(int maxFrameBytes) {
		this.maxFrameBytes = FrameBuffer.checkMaxFrameBytes(maxFrameBytes);
	}

	@Override
	public void decode(byte[] buf, int off, int len, FrameSink sink) {
		Objects.checkFromIndexSize(off, len, buf.length);
		int end = off + len;
		for (int p = off; p < end;) {
			int n = Math.min(end - p, this.maxFrameBytes);
			sink.frame(Arrays.copyOfRange(buf, p, p + n));
			p += n;
		}
	}

	@Override
	public int pending() {
		return 0;
	}

	@Override
	public byte @Nullable [] takePartial() {
		return null;
	}
}
