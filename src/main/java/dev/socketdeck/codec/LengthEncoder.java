package dev.socketdeck.codec;

/**
 * Length framing, outbound: the payload's length as a 1, 2 or 4 byte big-endian unsigned
 * number, then the payload. With a 2-byte prefix:
 *
 * <pre>
 *   payload        wire (5 bytes)
 * +-------+      +-----------+----------------+
 * | "abc" | ---> | 0x00 0x03 | 0x61 0x62 0x63 |
 * +-------+      +-----------+----------------+
 * </pre>
 *
 * A 1-byte prefix holds at most 255, a 2-byte one at most 65535; a longer payload is refused.
 */
final class LengthEncoder implements FrameEncoder {

	private final int lengthBytes;

	private final int maxPayload;

	LengthEncoder(int lengthBytes) {
		this.maxPayload = switch (lengthBytes) {
			case 1 -> 0xFF;
			case 2 -> 0xFFFF;
			case 4 -> Integer.MAX_VALUE; // every Java array fits in 4 unsigned bytes
			default -> throw new IllegalArgumentException("lengthBytes must be 1, 2 or 4, not " + lengthBytes);
		};
		this.lengthBytes = lengthBytes;
	}

	@Override
	public byte[] encode(byte[] payload) {
		int n = payload.length;
		if (n > this.maxPayload) {
			throw new IllegalArgumentException("a " + this.lengthBytes + "-byte length prefix holds at most "
					+ this.maxPayload + " bytes; this frame has " + n);
		}
		byte[] frame = new byte[this.lengthBytes + n];
		for (int i = this.lengthBytes - 1, v = n; i >= 0; i--, v >>>= 8) {
			frame[i] = (byte) v;
		}
		System.arraycopy(payload, 0, frame, this.lengthBytes, n);
		return frame;
	}
}
