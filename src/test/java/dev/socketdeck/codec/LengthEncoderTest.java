package dev.socketdeck.codec;

import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.bytes;
import static dev.socketdeck.codec.Wire.concat;
import static dev.socketdeck.codec.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class LengthEncoderTest {

	@Test
	void writesABigEndianPrefix() {
		assertThat(new LengthEncoder(1).encode(ascii("abc"))).isEqualTo(bytes(0x03, 'a', 'b', 'c'));
		assertThat(new LengthEncoder(2).encode(ascii("abc"))).isEqualTo(bytes(0x00, 0x03, 'a', 'b', 'c'));
		assertThat(new LengthEncoder(4).encode(ascii("abc"))).isEqualTo(bytes(0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c'));
		assertThat(new LengthEncoder(2).encode(new byte[0])).isEqualTo(bytes(0x00, 0x00));
	}

	@Test
	void writesLengthsAboveOneByte() {
		byte[] payload = repeat('p', 70_000);
		assertThat(new LengthEncoder(4).encode(payload)).isEqualTo(concat(bytes(0x00, 0x01, 0x11, 0x70), payload));
		byte[] max = repeat('m', 65_535);
		assertThat(new LengthEncoder(2).encode(max)).startsWith(0xFF, 0xFF, 'm').hasSize(65_537);
	}

	@Test
	void aOneBytePrefixHoldsAtMost255() {
		assertThat(new LengthEncoder(1).encode(repeat('x', 255))).startsWith(0xFF, 'x').hasSize(256);
		assertThatIllegalArgumentException().isThrownBy(() -> new LengthEncoder(1).encode(new byte[256]))
			.withMessage("a 1-byte length prefix holds at most 255 bytes; this frame has 256");
	}

	@Test
	void aTwoBytePrefixHoldsAtMost65535() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LengthEncoder(2).encode(new byte[70_000]))
			.withMessage("a 2-byte length prefix holds at most 65535 bytes; this frame has 70000");
	}

	@Test
	void decodesBackToThePayload() {
		for (int lengthBytes : new int[] { 1, 2, 4 }) {
			LengthEncoder encoder = new LengthEncoder(lengthBytes);
			LengthDecoder decoder = new LengthDecoder(lengthBytes, 1000);
			RecordingSink sink = new RecordingSink();
			byte[] binary = bytes(0x00, 0x0A, 0x02, 0x03, 0xFF, 0x0D);
			byte[][] payloads = { ascii("hello"), new byte[0], binary, repeat('y', 255) };
			for (byte[] payload : payloads) {
				byte[] wire = encoder.encode(payload);
				decoder.decode(wire, 0, wire.length, sink);
			}
			assertThat(sink.frames).as("%d-byte prefix", lengthBytes).containsExactly(payloads);
			assertThat(decoder.pending()).isZero();
		}
	}

	@Test
	void refusesALengthOfThreeBytes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LengthEncoder(3))
			.withMessage("lengthBytes must be 1, 2 or 4, not 3");
	}
}
