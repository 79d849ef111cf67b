package dev.socketdeck.codec;

import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class StxEtxEncoderTest {

	private final StxEtxEncoder encoder = new StxEtxEncoder();

	@Test
	void wrapsThePayloadInStxAndEtx() {
		assertThat(this.encoder.encode(ascii("abc"))).isEqualTo(bytes(0x02, 'a', 'b', 'c', 0x03));
		assertThat(this.encoder.encode(new byte[0])).isEqualTo(bytes(0x02, 0x03));
	}

	@Test
	void refusesAPayloadHoldingAnEtx() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.encoder.encode(bytes('a', 0x03, 'b')))
			.withMessageContaining("0x03 (ETX)")
			.withMessageContaining("at index 1");
	}

	@Test
	void decodesBackToThePayload() {
		StxEtxDecoder decoder = new StxEtxDecoder(64);
		RecordingSink sink = new RecordingSink();
		byte[][] payloads = { ascii("hello"), new byte[0], bytes(0x00, 0x02, '\n', 0xFF) };
		for (byte[] payload : payloads) {
			byte[] wire = this.encoder.encode(payload);
			decoder.decode(wire, 0, wire.length, sink);
		}
		assertThat(sink.frames).containsExactly(payloads);
		assertThat(decoder.pending()).isZero();
	}
}
