package dev.socketdeck.codec;

import static dev.socketdeck.codec.RecordingSink.OVERSIZED;
import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.assertDecodesHoweverSplit;
import static dev.socketdeck.codec.Wire.bytes;
import static dev.socketdeck.codec.Wire.concat;
import static dev.socketdeck.codec.Wire.decodeInChunks;
import static dev.socketdeck.codec.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

class LengthDecoderTest {

	private final RecordingSink sink = new RecordingSink();

	private void read(FrameDecoder decoder, byte[] wire) {
		Wire.feed(decoder, wire, 0, wire.length, this.sink);
	}

	@Test
	void decodesSeveralFramesInOneRead() {
		LengthDecoder decoder = new LengthDecoder(2, 1024);
		read(decoder, bytes(0x00, 0x03, 'a', 'b', 'c', 0x00, 0x00, 0x00, 0x02, 'h', 'i'));
		assertThat(this.sink.take()).containsExactly("abc", "", "hi");
		assertThat(decoder.pending()).isZero();
	}

	@Test
	void anEmptyFrameAtTheEndOfAReadComesOutAtOnce() {
		LengthDecoder decoder = new LengthDecoder(2, 1024);
		read(decoder, bytes(0x00, 0x00));
		assertThat(this.sink.take()).containsExactly("");
		assertThat(decoder.pending()).isZero();
	}

	@Test
	void joinsAPrefixAndAPayloadSplitAcrossReads() {
		LengthDecoder decoder = new LengthDecoder(2, 1024);
		read(decoder, bytes(0x00));
		assertThat(decoder.pending()).isEqualTo(1);
		read(decoder, bytes(0x05, 'h'));
		assertThat(decoder.pending()).isEqualTo(3);
		read(decoder, ascii("ell"));
		assertThat(this.sink.take()).isEmpty();
		assertThat(decoder.pending()).isEqualTo(6);
		read(decoder, bytes('o', 0x00));
		assertThat(this.sink.take()).containsExactly("hello");
		assertThat(decoder.pending()).isEqualTo(1);
	}

	@Test
	void decodesTheSameHoweverTheStreamIsSplit() {
		byte[] wire = bytes(0x00, 0x03, 'a', 'b', 'c', 0x00, 0x00, 0x00, 0x09, '1', '2', '3', '4', '5', '6', '7', '8',
				'9', 0x00, 0x02, 'o', 'k', 0x00, 0x04, '1', '2', '3', '4', 0x00, 0x03, 'e');
		assertDecodesHoweverSplit(() -> new LengthDecoder(2, 4), wire, List.of("abc", "", OVERSIZED, "ok", "1234"));
	}

	@Test
	void skipsExactlyTheDeclaredLengthOfAnOverLongFrame() {
		LengthDecoder decoder = new LengthDecoder(2, 4);
		byte[] wire = concat(bytes(0x00, 0x06), ascii("\n\u0002abcd"), bytes(0x00, 0x02), ascii("ok"));
		List<String> events = decodeInChunks(decoder, wire, 1);
		assertThat(events).containsExactly(OVERSIZED, "ok");
		read(new LengthDecoder(2, 4), wire);
		assertThat(this.sink.oversizedLengths).containsExactly(6L);
	}

	@Test
	void pendingCountsThePrefixAndThePayloadSeenWhileSkipping() {
		LengthDecoder decoder = new LengthDecoder(4, 4);
		read(decoder, bytes(0xFF, 0xFF, 0xFF, 0xFF, 'x', 'y'));
		assertThat(this.sink.take()).containsExactly(OVERSIZED);
		assertThat(this.sink.oversizedLengths).containsExactly(0xFFFF_FFFFL);
		assertThat(decoder.pending()).isEqualTo(6);
	}

	@Test
	void readsAOneByteLengthAsUnsigned() {
		LengthDecoder decoder = new LengthDecoder(1, 1024);
		byte[] payload = repeat('p', 255);
		read(decoder, concat(bytes(0xFF), payload, bytes(0x01, 'q')));
		assertThat(this.sink.frames).hasSize(2);
		assertThat(this.sink.frames.get(0)).isEqualTo(payload);
		assertThat(this.sink.take()).last().isEqualTo("q");
	}

	@Test
	void readsAFourByteLength() {
		byte[] payload = repeat('p', 70_000);
		byte[] wire = concat(bytes(0x00, 0x01, 0x11, 0x70), payload, bytes(0x00, 0x00, 0x00, 0x01, '!'));
		for (int chunk : new int[] { 1, 3, 1000, wire.length }) {
			RecordingSink chunks = new RecordingSink();
			LengthDecoder decoder = new LengthDecoder(4, 70_000);
			for (int p = 0; p < wire.length; p += chunk) {
				Wire.feed(decoder, wire, p, Math.min(wire.length, p + chunk), chunks);
			}
			assertThat(chunks.frames).as("reads of %d bytes", chunk).hasSize(2);
			assertThat(chunks.frames.get(0)).isEqualTo(payload);
			assertThat(chunks.frames.get(1)).isEqualTo(ascii("!"));
			assertThat(decoder.pending()).isZero();
		}
	}

	@Test
	void handsOutFramesThatDoNotShareTheReadBuffer() {
		LengthDecoder decoder = new LengthDecoder(1, 16);
		byte[] buf = bytes(0x02, 'a', 'b');
		decoder.decode(buf, 0, buf.length, this.sink);
		buf[1] = 'X';
		assertThat(this.sink.take()).containsExactly("ab");
	}

	@Test
	void neverHasAPartialFrameToGive() {
		LengthDecoder decoder = new LengthDecoder(2, 16);
		read(decoder, bytes(0x00, 0x05, 'a', 'b'));
		assertThat(decoder.pending()).isEqualTo(4);
		assertThat(decoder.takePartial()).isNull();
	}

	@Test
	void refusesALengthOfThreeBytes() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LengthDecoder(3, 16))
			.withMessage("lengthBytes must be 1, 2 or 4, not 3");
	}
}
