package dev.socketdeck.codec;

import static dev.socketdeck.codec.StxEtxDecoder.ETX;
import static dev.socketdeck.codec.StxEtxDecoder.STX;

/**
 * STX/ETX framing, outbound: 0x02 (STX), the payload, 0x03 (ETX).
 *
 * <pre>
 *   payload        wire (5 bytes)
 * +-------+      +------+----------------+------+
 * | "abc" | ---> | 0x02 | 0x61 0x62 0x63 | 0x03 |
 * +-------+      +------+----------------+------+
 * </pre>
 *
 * A payload holding 0x03 is refused, since the other side would take it for the end of the
 * frame; length framing carries any bytes.
 */
final class StxEtxEncoder implements FrameEncoder {

	@Override
	public byte[] encode(byte[] payload) {
		int n = payload.length;
		for (int i = 0; i < n; i++) {
			if (payload[i] == ETX) {
				throw new IllegalArgumentException("an stx-etx frame cannot carry the byte 0x03 (ETX), which ends it; "
						+ "this payload has one at index " + i + " (length framing carries any bytes)");
			}
		}
		byte[] frame = new byte[n + 2];
		frame[0] = STX;
		System.arraycopy(payload, 0, frame, 1, n);
		frame[n + 1] = ETX;
		return frame;
	}
}
