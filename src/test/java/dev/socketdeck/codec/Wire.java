package dev.socketdeck.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/** Wire bytes for codec tests, and ways to feed them to a decoder. */
final class Wire {

	/** Filler around the bytes handed to a decoder: delimiters, so reading outside shows. */
	private static final byte[] FILLER = { '\n', 0x02, 0x03, '\r' };

	private Wire() {
	}

	/** One byte per char, for text with some control bytes in it. */
	static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

	static byte[] bytes(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			b[i] = (byte) values[i];
		}
		return b;
	}

	static byte[] concat(byte[]... parts) {
		int n = 0;
		for (byte[] part : parts) {
			n += part.length;
		}
		byte[] all = new byte[n];
		int p = 0;
		for (byte[] part : parts) {
			System.arraycopy(part, 0, all, p, part.length);
			p += part.length;
		}
		return all;
	}

	static byte[] repeat(char c, int n) {
		return ascii(String.valueOf(c).repeat(n));
	}

	/**
	 * Feeds {@code wire[from, to)} as one read, from the middle of a bigger buffer whose other
	 * bytes are delimiters, as a read loop with an offset would.
	 */
	static void feed(FrameDecoder decoder, byte[] wire, int from, int to, FrameSink sink) {
		int off = 3;
		byte[] buf = new byte[off + (to - from) + 5];
		for (int i = 0; i < buf.length; i++) {
			buf[i] = FILLER[i % FILLER.length];
		}
		System.arraycopy(wire, from, buf, off, to - from);
		decoder.decode(buf, off, to - from, sink);
	}

	/** Feeds {@code wire} in reads of {@code chunk} bytes; returns what came out. */
	static List<String> decodeInChunks(FrameDecoder decoder, byte[] wire, int chunk) {
		RecordingSink sink = new RecordingSink();
		for (int p = 0; p < wire.length; p += chunk) {
			feed(decoder, wire, p, Math.min(wire.length, p + chunk), sink);
		}
		return sink.events;
	}

	/**
	 * Checks that {@code wire} decodes to {@code expected} (frames, and {@link RecordingSink#OVERSIZED}
	 * markers) however it is cut into reads: in one read, one byte at a time, and cut in two
	 * and in three at every place; and that the decoder ends with the same {@code pending()}.
	 */
	static void assertDecodesHoweverSplit(Supplier<FrameDecoder> newDecoder, byte[] wire, List<String> expected) {
		FrameDecoder whole = newDecoder.get();
		assertThat(decodeInChunks(whole, wire, Math.max(1, wire.length))).as("in one read").isEqualTo(expected);
		int pending = whole.pending();
		FrameDecoder bytewise = newDecoder.get();
		assertThat(decodeInChunks(bytewise, wire, 1)).as("one byte at a time").isEqualTo(expected);
		assertThat(bytewise.pending()).as("pending() one byte at a time").isEqualTo(pending);
		for (int i = 0; i <= wire.length; i++) {
			for (int j = i; j <= wire.length; j++) {
				FrameDecoder decoder = newDecoder.get();
				RecordingSink sink = new RecordingSink();
				feed(decoder, wire, 0, i, sink);
				feed(decoder, wire, i, j, sink);
				feed(decoder, wire, j, wire.length, sink);
				assertThat(sink.events).as("cut at %d and %d", i, j).isEqualTo(expected);
				assertThat(decoder.pending()).as("pending() cut at %d and %d", i, j).isEqualTo(pending);
			}
		}
	}
}
