package dev.socketdeck.codec;

import static dev.socketdeck.codec.Wire.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class RawDecoderTest {

	private final RecordingSink sink = new RecordingSink();

	@Test
	void eachReadIsOneFrame() {
		RawDecoder decoder = new RawDecoder(1024);
		byte[] wire = ascii("hello\nbye\r\n");
		Wire.feed(decoder, wire, 0, 6, this.sink);
		Wire.feed(decoder, wire, 6, wire.length, this.sink);
		assertThat(this.sink.take()).containsExactly("hello\n", "bye\r\n");
		assertThat(decoder.pending()).isZero();
		assertThat(decoder.takePartial()).isNull();
	}

	@Test
	void cutsAReadLongerThanTheMaxIntoFramesOfTheMax() {
		RawDecoder decoder = new RawDecoder(4);
		byte[] wire = ascii("abcdefghij");
		Wire.feed(decoder, wire, 0, wire.length, this.sink);
		assertThat(this.sink.take()).containsExactly("abcd", "efgh", "ij");
	}

	@Test
	void anEmptyReadIsNoFrame() {
		RawDecoder decoder = new RawDecoder(4);
		decoder.decode(new byte[8], 3, 0, this.sink);
		assertThat(this.sink.take()).isEmpty();
	}

	@Test
	void handsOutFramesThatDoNotShareTheReadBuffer() {
		RawDecoder decoder = new RawDecoder(1024);
		byte[] buf = ascii("abc");
		decoder.decode(buf, 0, buf.length, this.sink);
		buf[0] = 'X';
		assertThat(this.sink.take()).containsExactly("abc");
	}

	@Test
	void refusesAMaxBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new RawDecoder(0))
			.withMessageContaining("maxFrameBytes must be between 1 and");
	}
}
