package dev.socketdeck.codec;

import static dev.socketdeck.codec.RecordingSink.OVERSIZED;
import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.assertDecodesHoweverSplit;
import static dev.socketdeck.codec.Wire.decodeInChunks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;

import org.junit.jupiter.api.Test;

class LineDecoderTest {

	private final LineDecoder decoder = new LineDecoder(64);

	private final RecordingSink sink = new RecordingSink();

	private void read(String wire) {
		byte[] bytes = ascii(wire);
		Wire.feed(this.decoder, bytes, 0, bytes.length, this.sink);
	}

	@Test
	void decodesSeveralLinesInOneRead() {
		read("""
				hello
				world
				""");
		assertThat(this.sink.take()).containsExactly("hello", "world");
		assertThat(this.decoder.pending()).isZero();
	}

	@Test
	void acceptsLfAndCrLfAndDropsTheLineEnding() {
		read("one\r\ntwo\nthree\r\n");
		assertThat(this.sink.take()).containsExactly("one", "two", "three");
	}

	@Test
	void keepsACrThatDoesNotEndTheLine() {
		read("a\rb\nc\r\r\n\rd\n");
		assertThat(this.sink.take()).containsExactly("a\rb", "c\r", "\rd");
	}

	@Test
	void emptyLinesAreEmptyFrames() {
		read("\n\r\n\nx\n\n");
		assertThat(this.sink.take()).containsExactly("", "", "", "x", "");
	}

	@Test
	void joinsALineSplitAcrossReads() {
		read("hel");
		assertThat(this.sink.take()).isEmpty();
		assertThat(this.decoder.pending()).isEqualTo(3);
		read("lo\nwor");
		assertThat(this.sink.take()).containsExactly("hello");
		assertThat(this.decoder.pending()).isEqualTo(3);
		read("ld\r");
		assertThat(this.sink.take()).isEmpty();
		assertThat(this.decoder.pending()).isEqualTo(6);
		read("\n");
		assertThat(this.sink.take()).containsExactly("world");
		assertThat(this.decoder.pending()).isZero();
	}

	@Test
	void decodesTheSameHoweverTheStreamIsSplit() {
		assertDecodesHoweverSplit(() -> new LineDecoder(8), ascii("GET / HTTP/1.0\r\nab\r\n\nx\ry\r\n12345678\r\nrest"),
				List.of(OVERSIZED, "ab", "", "x\ry", "12345678"));
	}

	@Test
	void reportsAnOverLongLineOnceAndDecodesTheNextLine() {
		LineDecoder small = new LineDecoder(4);
		RecordingSink events = new RecordingSink();
		byte[] wire = ascii("abcdefghij\nok\n");
		Wire.feed(small, wire, 0, wire.length, events);
		assertThat(events.events).containsExactly(OVERSIZED, "ok");
		assertThat(events.oversizedLengths).containsExactly(10L);
	}

	@Test
	void reportsAnOverLongLineAsSoonAsItIsTooLongAndDiscardsTheRest() {
		LineDecoder small = new LineDecoder(4);
		RecordingSink events = new RecordingSink();
		byte[] wire = ascii("abcdefghij\nok\n");
		for (int i = 0; i < 10; i++) {
			Wire.feed(small, wire, i, i + 1, events);
			assertThat(small.pending()).as("inside the line").isEqualTo(i + 1);
		}
		assertThat(events.events).containsExactly(OVERSIZED);
		assertThat(events.oversizedLengths).containsExactly(5L);
		Wire.feed(small, wire, 10, wire.length, events);
		assertThat(events.events).containsExactly(OVERSIZED, "ok");
		assertThat(small.pending()).isZero();
	}

	@Test
	void aLineOfExactlyTheMaxIsAFrameWhateverItsLineEnding() {
		assertDecodesHoweverSplit(() -> new LineDecoder(4), ascii("abcd\nefgh\r\nijklm\r\n"),
				List.of("abcd", "efgh", OVERSIZED));
	}

	@Test
	void aCrAfterAFullLineIsPartOfTheLineWhenNoLfFollows() {
		LineDecoder small = new LineDecoder(4);
		RecordingSink events = new RecordingSink();
		assertThat(decodeInChunks(small, ascii("abcd\r"), 1)).isEmpty();
		assertThat(small.pending()).isEqualTo(5);
		Wire.feed(small, ascii("x\n"), 0, 2, events);
		assertThat(events.events).containsExactly(OVERSIZED);
		assertThat(events.oversizedLengths).containsExactly(6L);
	}

	@Test
	void pendingTellsABoundaryFromTheMiddleOfALine() {
		assertThat(this.decoder.pending()).isZero();
		read("one\ntw");
		assertThat(this.decoder.pending()).isEqualTo(2);
		read("o\n");
		assertThat(this.decoder.pending()).isZero();
		read("\r");
		assertThat(this.decoder.pending()).isEqualTo(1);
	}

	@Test
	void takePartialReturnsTheUnterminatedLine() {
		assertThat(this.decoder.takePartial()).isNull();
		read("Michael");
		assertThat(this.decoder.takePartial()).isEqualTo(ascii("Michael"));
		assertThat(this.decoder.pending()).isZero();
		assertThat(this.decoder.takePartial()).isNull();
		read("next\n");
		assertThat(this.sink.take()).containsExactly("next");
	}

	@Test
	void takePartialDropsATrailingCrAndTheLfThatCompletesIt() {
		read("hi\r");
		assertThat(this.decoder.takePartial()).isEqualTo(ascii("hi"));
		read("\nthere\n");
		assertThat(this.sink.take()).containsExactly("there");
	}

	@Test
	void anLfAfterAPartialWithoutCrIsAnEmptyLine() {
		read("hi");
		assertThat(this.decoder.takePartial()).isEqualTo(ascii("hi"));
		read("\n");
		assertThat(this.sink.take()).containsExactly("");
	}

	@Test
	void takePartialEndsTheDiscardingOfAnOverLongLine() {
		LineDecoder small = new LineDecoder(4);
		RecordingSink events = new RecordingSink();
		Wire.feed(small, ascii("abcdefg"), 0, 7, events);
		assertThat(small.pending()).isEqualTo(7);
		assertThat(small.takePartial()).isNull();
		assertThat(small.pending()).isZero();
		Wire.feed(small, ascii("ok\n"), 0, 3, events);
		assertThat(events.events).containsExactly(OVERSIZED, "ok");
	}

	@Test
	void handsOutFramesThatDoNotShareTheReadBuffer() {
		byte[] buf = ascii("ab\ncd\nef");
		this.decoder.decode(buf, 0, buf.length, this.sink);
		byte[] rest = ascii("\n");
		this.decoder.decode(rest, 0, 1, this.sink);
		buf[0] = 'X';
		buf[3] = 'X';
		buf[6] = 'X';
		assertThat(this.sink.take()).containsExactly("ab", "cd", "ef");
	}

	@Test
	void growsToHoldALongLineSplitInManyReads() {
		LineDecoder big = new LineDecoder(64 * 1024);
		String line = "z".repeat(64 * 1024);
		List<String> events = decodeInChunks(big, ascii(line + "\r\n" + line + "\n"), 1000);
		assertThat(events).containsExactly(line, line);
	}

	@Test
	void refusesAMaxBelowOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LineDecoder(0)).withMessageContaining("maxFrameBytes");
	}
}
