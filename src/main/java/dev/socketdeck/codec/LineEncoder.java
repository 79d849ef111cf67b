package dev.socketdeck.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Line framing, outbound: the payload, then the line ending (LF or CR LF), unless the payload
 * already ends with LF, in which case it goes out unchanged.
 *
 * <pre>
 *   payload          wire, line ending CR LF
 * +---------+      +-----------+----+----+
 * | "hello" | ---> | h e l l o | CR | LF |
 * +---------+      +-----------+----+----+
 * </pre>
 *
 * A payload with an LF inside is decoded on the other side as more than one line.
 */
final class LineEncoder implements FrameEncoder {

	private final byte[] lineEnding;

	LineEncoder(String lineEnding) {
		if (lineEnding.isEmpty()) {
			throw new IllegalArgumentException("lineEnding must not be empty");
		}
		this.lineEnding = lineEnding.getBytes(StandardCharsets.US_ASCII);
	}

	@Override
	public byte[] encode(byte[] payload) {
		int n = payload.length;
		if (n > 0 && payload[n - 1] == '\n') {
			return payload;
		}
		byte[] frame = Arrays.copyOf(payload, n + this.lineEnding.length);
		System.arraycopy(this.lineEnding, 0, frame, n, this.lineEnding.length);
		return frame;
	}
}
