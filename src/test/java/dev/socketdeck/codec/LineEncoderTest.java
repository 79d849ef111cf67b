package dev.socketdeck.codec;

import static dev.socketdeck.codec.Wire.ascii;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineEncoderTest {

	@Test
	void appendsTheLineEnding() {
		assertThat(new LineEncoder("\n").encode(ascii("hello"))).isEqualTo(ascii("hello\n"));
		assertThat(new LineEncoder("\r\n").encode(ascii("hello"))).isEqualTo(ascii("hello\r\n"));
	}

	@Test
	void anEmptyPayloadIsAnEmptyLine() {
		assertThat(new LineEncoder("\r\n").encode(new byte[0])).isEqualTo(ascii("\r\n"));
	}

	@Test
	void leavesAPayloadThatAlreadyEndsWithLfAlone() {
		byte[] payload = ascii("done\n");
		assertThat(new LineEncoder("\r\n").encode(payload)).isSameAs(payload);
		byte[] crlf = ascii("done\r\n");
		assertThat(new LineEncoder("\n").encode(crlf)).isSameAs(crlf);
	}

	@Test
	void decodesBackToThePayload() {
		for (String ending : List.of("\n", "\r\n")) {
			LineEncoder encoder = new LineEncoder(ending);
			LineDecoder decoder = new LineDecoder(64);
			RecordingSink sink = new RecordingSink();
			for (String payload : List.of("hello", "", "tab\there", "a\rb", "ünï")) {
				byte[] wire = encoder.encode(ascii(payload));
				decoder.decode(wire, 0, wire.length, sink);
			}
			assertThat(sink.take()).as("ending %s", ending.replace("\r", "CR").replace("\n", "LF"))
				.containsExactly("hello", "", "tab\there", "a\rb", "ünï");
			assertThat(decoder.pending()).isZero();
		}
	}
}
