package dev.socketdeck.codec;

import static dev.socketdeck.codec.RecordingSink.OVERSIZED;
import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.assertDecodesHoweverSplit;
import static dev.socketdeck.codec.Wire.bytes;
import static dev.socketdeck.codec.Wire.decodeInChunks;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class StxEtxDecoderTest {

	private static final int STX = 0x02;

	private static final int ETX = 0x03;

	private final StxEtxDecoder decoder = new StxEtxDecoder(64);

	private final RecordingSink sink = new RecordingSink();

	private void read(byte[] wire) {
		Wire.feed(this.decoder, wire, 0, wire.length, this.sink);
	}

	@Test
	void decodesSeveralFramesInOneReadIgnoringBytesBetweenThem() {
		read(bytes('\n', STX, 'a', 'b', 'c', ETX, 'x', 'y', STX, ETX, STX, 'h', 'i', ETX));
		assertThat(this.sink.take()).containsExactly("abc", "", "hi");
		assertThat(this.decoder.pending()).isZero();
	}

	@Test
	void keepsAnStxInsideAFrame() {
		read(bytes(STX, 'a', STX, 'b', ETX));
		assertThat(this.sink.take()).containsExactly("a\u0002b");
	}

	@Test
	void joinsAFrameSplitAcrossReads() {
		read(bytes('x', STX));
		assertThat(this.decoder.pending()).isEqualTo(1);
		read(ascii("ab"));
		assertThat(this.sink.take()).isEmpty();
		assertThat(this.decoder.pending()).isEqualTo(3);
		read(bytes('c', ETX, 'n', 'o', 'i', 's', 'e'));
		assertThat(this.sink.take()).containsExactly("abc");
		assertThat(this.decoder.pending()).as("bytes outside a frame are not pending").isZero();
	}

	@Test
	void decodesTheSameHoweverTheStreamIsSplit() {
		byte[] wire = bytes(STX, 'a', 'b', ETX, '\r', '\n', STX, ETX, STX, '1', '2', '3', '4', '5', '6', ETX, STX, '1',
				'2', '3', '4', ETX, STX, 'r', 'e');
		assertDecodesHoweverSplit(() -> new StxEtxDecoder(4), wire, List.of("ab", "", OVERSIZED, "1234"));
	}

	@Test
	void reportsAnOverLongFrameOnceAndDecodesTheNextFrame() {
		StxEtxDecoder small = new StxEtxDecoder(4);
		byte[] wire = bytes(STX, 'a', 'b', 'c', 'd', 'e', 'f', 'g', ETX, STX, 'o', 'k', ETX);
		Wire.feed(small, wire, 0, wire.length, this.sink);
		assertThat(this.sink.take()).containsExactly(OVERSIZED, "ok");
		assertThat(this.sink.oversizedLengths).containsExactly(7L);

		StxEtxDecoder bytewise = new StxEtxDecoder(4);
		RecordingSink events = new RecordingSink();
		for (int i = 0; i < 8; i++) {
			Wire.feed(bytewise, wire, i, i + 1, events);
			assertThat(bytewise.pending()).as("inside the frame").isEqualTo(i + 1);
		}
		assertThat(events.oversizedLengths).as("reported as soon as it is too long").containsExactly(5L);
		Wire.feed(bytewise, wire, 8, wire.length, events);
		assertThat(events.events).containsExactly(OVERSIZED, "ok");
		assertThat(bytewise.pending()).isZero();
	}

	@Test
	void growsToHoldALongFrameSplitInManyReads() {
		StxEtxDecoder big = new StxEtxDecoder(64 * 1024);
		String payload = "z".repeat(64 * 1024);
		assertThat(decodeInChunks(big, ascii("\u0002" + payload + "\u0003"), 999)).containsExactly(payload);
	}

	@Test
	void handsOutFramesThatDoNotShareTheReadBuffer() {
		byte[] buf = bytes(STX, 'a', 'b', ETX);
		this.decoder.decode(buf, 0, buf.length, this.sink);
		buf[1] = 'X';
		assertThat(this.sink.take()).containsExactly("ab");
	}

	@Test
	void neverHasAPartialFrameToGive() {
		read(bytes(STX, 'a'));
		assertThat(this.decoder.takePartial()).isNull();
		assertThat(this.decoder.pending()).isEqualTo(2);
	}
}
