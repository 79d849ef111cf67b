package dev.socketdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseReaderTest {

	private static final String TOO_LARGE_16 = "the response body is larger than 16 bytes, the most "
			+ "socketdeck.outbound.max-response-bytes allows; nothing was kept";

	/** One byte per char, for wire text with control bytes in it. */
	private static byte[] ascii(String s) {
		return s.getBytes(StandardCharsets.ISO_8859_1);
	}

	/** Reads through a BufferedInputStream over a trickle, as the fetcher does. */
	private static HttpResponseReader.Response read(String wire) throws IOException {
		return read(wire, 1024, false, true);
	}

	private static HttpResponseReader.Response read(String wire, long maxBody, boolean head, boolean buffered)
			throws IOException {
		InputStream in = new OneBytePerRead(ascii(wire));
		if (buffered) {
			in = new BufferedInputStream(in, 16384);
		}
		return new HttpResponseReader(in, maxBody).read(head);
	}

	private static OutboundException failure(String wire) {
		return failure(wire, 1024);
	}

	private static OutboundException failure(String wire, long maxBody) {
		return failure(() -> read(wire, maxBody, false, true));
	}

	private static OutboundException failure(ThrowingCallable call) {
		Throwable thrown = catchThrowable(call);
		assertThat(thrown).isInstanceOf(OutboundException.class);
		return (OutboundException) thrown;
	}

	private static String body(HttpResponseReader.Response response) {
		return new String(response.body(), StandardCharsets.ISO_8859_1);
	}

	@ParameterizedTest(name = "buffered={0}")
	@ValueSource(booleans = { true, false })
	void readsAContentLengthBody(boolean buffered) throws IOException {
		HttpResponseReader.Response r = read("""
				HTTP/1.1 200 OK\r
				Content-Type: text/plain\r
				Content-Length: 5\r
				\r
				Hello, and bytes past the length""", 1024, false, buffered);
		assertThat(r.status()).isEqualTo(new FetchResult.Status("HTTP/1.1 200 OK", "HTTP/1.1", 200, "OK"));
		assertThat(r.headers()).containsExactly(new FetchResult.Header("Content-Type", "text/plain"),
				new FetchResult.Header("Content-Length", "5"));
		assertThat(body(r)).isEqualTo("Hello");
		assertThat(r.transfer()).isEqualTo("content-length");
	}

	@Test
	void readsAnEmptyContentLengthBody() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
		assertThat(r.body()).isEmpty();
		assertThat(r.transfer()).isEqualTo("content-length");
	}

	@Test
	void acceptsTheSameContentLengthTwice() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc");
		assertThat(body(r)).isEqualTo("abc");
	}

	@ParameterizedTest(name = "buffered={0}")
	@ValueSource(booleans = { true, false })
	void joinsChunksSkippingExtensionsAndTrailers(boolean buffered) throws IOException {
		HttpResponseReader.Response r = read("""
				HTTP/1.1 200 OK\r
				Transfer-Encoding: chunked\r
				\r
				5;name=value\r
				Hello\r
				2 ; x\r
				, \r
				A\r
				0123456789\r
				0;last\r
				X-Trailer: ignored\r
				Another: one\r
				\r
				""", 1024, false, buffered);
		assertThat(body(r)).isEqualTo("Hello, 0123456789");
		assertThat(r.transfer()).isEqualTo("chunked");
		assertThat(r.headers()).containsExactly(new FetchResult.Header("Transfer-Encoding", "chunked"));
	}

	@Test
	void chunkedWinsOverContentLength() throws IOException {
		HttpResponseReader.Response r = read("""
				HTTP/1.1 200 OK\r
				Content-Length: 100\r
				Transfer-Encoding: gzip, Chunked\r
				\r
				3\r
				abc\r
				0\r
				\r
				""");
		assertThat(body(r)).isEqualTo("abc");
		assertThat(r.transfer()).isEqualTo("chunked");
	}

	@Test
	void toleratesACloseInsteadOfTheEmptyLineAfterTheLastChunk() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n");
		assertThat(body(r)).isEqualTo("hi");
	}

	@ParameterizedTest(name = "buffered={0}")
	@ValueSource(booleans = { true, false })
	void readsUntilTheCloseWithoutLengthOrChunks(boolean buffered) throws IOException {
		HttpResponseReader.Response r = read("""
				HTTP/1.0 200 OK\r
				Server: old\r
				\r
				line one
				line two
				""", 1024, false, buffered);
		assertThat(body(r)).isEqualTo("line one\nline two\n");
		assertThat(r.transfer()).isEqualTo("until-close");
		assertThat(r.status().version()).isEqualTo("HTTP/1.0");
	}

	@Test
	void anAnswerToHeadHasNoBodyWhateverItsHeadersSay() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", 1024, true, true);
		assertThat(r.body()).isEmpty();
		assertThat(r.transfer()).isEqualTo("none");
		assertThat(r.headers()).containsExactly(new FetchResult.Header("Content-Length", "5"));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "204 No Content", "304 Not Modified" })
	void statusesWithoutABodyHaveNone(String status) throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 " + status
				+ "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nnot a body");
		assertThat(r.body()).isEmpty();
		assertThat(r.transfer()).isEqualTo("none");
		assertThat(r.status().line()).isEqualTo("HTTP/1.1 " + status);
	}

	@Test
	void acceptsBareLfLineEndingsEverywhere() throws IOException {
		String head = "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nX-A: 1\n\n";
		HttpResponseReader.Response r = read(head + "3\nabc\n1\nd\n0\n\n");
		assertThat(r.status().code()).isEqualTo(200);
		assertThat(r.headers()).containsExactly(new FetchResult.Header("Transfer-Encoding", "chunked"),
				new FetchResult.Header("X-A", "1"));
		assertThat(body(r)).isEqualTo("abcd");
		assertThat(r.headerBlock()).isEqualTo(head);
	}

	@Test
	void joinsAFoldedHeaderWithOneSpace() throws IOException {
		HttpResponseReader.Response r = read("""
				HTTP/1.1 200 OK\r
				X-Long: first\r
				   second\r
				\tthird  \r
				X-Next: n\r
				Content-Length: 0\r
				\r
				""");
		assertThat(r.headers()).containsExactly(new FetchResult.Header("X-Long", "first second third"),
				new FetchResult.Header("X-Next", "n"), new FetchResult.Header("Content-Length", "0"));
	}

	@Test
	void keepsTheHeaderBlockByteForByte() throws IOException {
		String head = "HTTP/1.1 404 Not Found\r\nX-Odd :  spaced \r\nX-Folded: a\r\n  b\nX-Latin: caf\u00e9\r\n"
				+ "Content-Length: 4\r\n\r\n";
		HttpResponseReader.Response r = read(head + "nope");
		assertThat(r.headerBlock()).isEqualTo(head);
		assertThat(r.headers()).containsExactly(new FetchResult.Header("X-Odd", "spaced"),
				new FetchResult.Header("X-Folded", "a b"), new FetchResult.Header("X-Latin", "caf\u00e9"),
				new FetchResult.Header("Content-Length", "4"));
		assertThat(r.status())
			.isEqualTo(new FetchResult.Status("HTTP/1.1 404 Not Found", "HTTP/1.1", 404, "Not Found"));
		assertThat(body(r)).isEqualTo("nope");
	}

	@Test
	void parsesAStatusLineWithoutAReasonAndAnHttp2Version() throws IOException {
		assertThat(read("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n").status())
			.isEqualTo(new FetchResult.Status("HTTP/1.1 200", "HTTP/1.1", 200, ""));
		assertThat(read("HTTP/2 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n").status())
			.isEqualTo(new FetchResult.Status("HTTP/2 503 Service Unavailable", "HTTP/2", 503, "Service Unavailable"));
	}

	@Test
	void anSshBannerIsNotHttp() {
		OutboundException ex = failure("SSH-2.0-OpenSSH_9.6\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the answer does not start with an HTTP status line: 'SSH-2.0-OpenSSH_9.6'");
	}

	@Test
	void aTlsAlertIsNotHttpAndItsBytesAreEscaped() {
		// what a TLS server sends back to plain text: an alert record, no line ending
		OutboundException ex = failure("\u0015\u0003\u0003\u0000\u0002\u0002\u0050");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage(
				"the answer does not start with an HTTP status line: '\\x15\\x03\\x03\\x00\\x02\\x02P'");
	}

	@Test
	void aVeryLongFirstLineIsNotHttpAndIsCutInTheMessage() {
		OutboundException ex = failure("x".repeat(HttpResponseReader.MAX_HEADER_BYTES + 10));
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the answer does not start with an HTTP status line: '" + "x".repeat(80) + "\u2026'");
	}

	@Test
	void aCloseBeforeAnyByteIsNoAnswer() {
		OutboundException ex = failure("");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the server closed the connection without answering");
	}

	@Test
	void aCloseInsideTheHeadersIsReported() {
		for (String wire : new String[] { "HTTP/1.1 200 OK\r\n", "HTTP/1.1 200 OK\r\nContent-Le",
				"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n" }) {
			OutboundException ex = failure(wire);
			assertThat(ex.kind()).as(wire).isEqualTo(OutboundException.Kind.MALFORMED);
			assertThat(ex).as(wire).hasMessage("the connection closed inside the header block");
		}
	}

	@Test
	void aHeaderLineWithoutAColonIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nNoColonHere\r\n\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a header line has no name: 'NoColonHere'");
	}

	@Test
	void aHeaderLineStartingWithAColonIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\n: value\r\n\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a header line has no name: ': value'");
	}

	@Test
	void aHeaderBlockOverTheLimitIsReported() {
		String wire = "HTTP/1.1 200 OK\r\nX-Big: " + "y".repeat(HttpResponseReader.MAX_HEADER_BYTES) + "\r\n\r\n";
		OutboundException ex = failure(wire);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the header block is longer than 65536 bytes");
	}

	@Test
	void aChunkSizeThatIsNotHexIsReported() {
		OutboundException ex = failure(
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz;ext\r\nHello\r\n0\r\n\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk size is not hex: 'zz;ext'");
	}

	@Test
	void aMissingChunkSizeIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\nHello\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk size is not hex: ''");
	}

	@Test
	void aNegativeChunkSizeIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nHello\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk size is negative: '-5'");
	}

	@Test
	void aChunkFollowedByAByteOtherThanCrLfIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHelloX\r\n0\r\n\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk of 5 bytes is not followed by CR LF");
	}

	@Test
	void aChunkCutRightAfterItsDataIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk of 5 bytes is not followed by CR LF");
	}

	@Test
	void aChunkShorterThanItsDataIsReportedAsSuch() {
		// the size says 5, the server sent 12: "Hello, world"
		OutboundException ex = failure(
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello, world\r\n0\r\n\r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("a chunk of 5 bytes is not followed by CR LF");
	}

	@Test
	void aChunkedBodyCutBeforeItsLastChunkIsReported() {
		OutboundException ex = failure(
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHello\r\n2\r\n, \r\n");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the chunked body ended before its last chunk (7 bytes came)");
	}

	@Test
	void aChunkCutInsideItsDataIsReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nHel");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the body ended after 3 of 5 bytes");
	}

	@ParameterizedTest(name = "buffered={0}")
	@ValueSource(booleans = { true, false })
	void aContentLengthBodyCutShortIsReported(boolean buffered) {
		OutboundException ex = failure(
				() -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n1234", 1024, false, buffered));
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the body ended after 4 of 10 bytes");
	}

	@Test
	void twoDifferentContentLengthsAreReported() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("two different Content-Length headers: 3 and 4");
	}

	@Test
	void aContentLengthThatIsNotANumberIsReported() {
		for (String value : new String[] { "abc", "-1", "" }) {
			OutboundException ex = failure("HTTP/1.1 200 OK\r\nContent-Length: " + value + "\r\n\r\nabcd");
			assertThat(ex.kind()).as(value).isEqualTo(OutboundException.Kind.MALFORMED);
			assertThat(ex).as(value).hasMessage("Content-Length is not a number of bytes: '" + value + "'");
		}
	}

	@Test
	void aContentLengthBodyOfExactlyTheMaxIsRead() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n" + "a".repeat(16), 16,
				false, true);
		assertThat(r.body()).hasSize(16);
	}

	@Test
	void aContentLengthOverTheMaxIsTooLargeBeforeAnyBodyIsRead() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n", 16);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessage(TOO_LARGE_16);
	}

	@Test
	void aChunkedBodyOfExactlyTheMaxIsRead() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "8\r\naaaaaaaa\r\n8\r\nbbbbbbbb\r\n0\r\n\r\n", 16, false, true);
		assertThat(body(r)).isEqualTo("aaaaaaaabbbbbbbb");
	}

	@Test
	void chunksAddingUpToMoreThanTheMaxAreTooLarge() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "8\r\naaaaaaaa\r\n9\r\nbbbbbbbbb\r\n0\r\n\r\n", 16);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessage(TOO_LARGE_16);
	}

	@Test
	void aHugeFirstChunkIsTooLarge() {
		OutboundException ex = failure(
				"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\nabc", 16);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessage(TOO_LARGE_16);
	}

	@Test
	void aHugeChunkAfterAnotherIsTooLarge() {
		OutboundException ex = failure("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "1\r\na\r\n7fffffffffffffff\r\n" + "b".repeat(100), 16);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessage(TOO_LARGE_16);
	}

	@Test
	void aBodyUntilTheCloseOfExactlyTheMaxIsRead() throws IOException {
		HttpResponseReader.Response r = read("HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(16), 16, false, true);
		assertThat(r.body()).hasSize(16);
		assertThat(r.transfer()).isEqualTo("until-close");
	}

	@ParameterizedTest(name = "buffered={0}")
	@ValueSource(booleans = { true, false })
	void aBodyUntilTheCloseOverTheMaxIsTooLarge(boolean buffered) {
		OutboundException ex = failure(
				() -> read("HTTP/1.1 200 OK\r\n\r\n" + "a".repeat(17), 16, false, buffered));
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessage(TOO_LARGE_16);
	}

	@Test
	void printableEscapesControlCharactersAndCutsAt80() {
		assertThat(HttpResponseReader.printable("a\tb\u007fc")).isEqualTo("a\\x09b\\x7fc");
		assertThat(HttpResponseReader.printable("z".repeat(81))).isEqualTo("z".repeat(80) + "\u2026");
		assertThat(HttpResponseReader.printable("z".repeat(79))).isEqualTo("z".repeat(79));
	}

	@Test
	void printableAddsNoEllipsisWhenNothingWasCut() {
		assertThat(HttpResponseReader.printable("z".repeat(80))).isEqualTo("z".repeat(80));
		assertThat(HttpResponseReader.printable("z".repeat(78) + "\r")).isEqualTo("z".repeat(78) + "\\x0d");
	}

	@Test
	void headerLooksNamesUpIgnoringCase() {
		List<FetchResult.Header> headers = List.of(new FetchResult.Header("Content-Type", "a"),
				new FetchResult.Header("content-type", "b"));
		assertThat(HttpResponseReader.header(headers, "CONTENT-TYPE")).isEqualTo("a");
		assertThat(HttpResponseReader.header(headers, "Content-Length")).isNull();
	}

	/** Hands out one byte per read, however many are asked for, like a slow network. */
	private static final class OneBytePerRead extends InputStream {

		private final byte[] bytes;

		private int next;

		OneBytePerRead(byte[] bytes) {
			this.bytes = bytes;
		}

		@Override
		public int read() {
			return (this.next < this.bytes.length) ? this.bytes[this.next++] & 0xff : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (len == 0) {
				return 0;
			}
			int c = read();
			if (c < 0) {
				return -1;
			}
			b[off] = (byte) c;
			return 1;
		}
	}

	@Test
	void interimAnswersAreSkippedAndKeptInTheHeaderBlock() throws IOException {
		String wire = """
				HTTP/1.1 100 Continue\r
				\r
				HTTP/1.1 103 Early Hints\r
				Link: </style.css>; rel=preload\r
				\r
				HTTP/1.1 200 OK\r
				Content-Length: 2\r
				\r
				ok""";
		HttpResponseReader.Response r = read(wire);
		assertThat(r.status().code()).isEqualTo(200);
		assertThat(r.headers()).extracting(FetchResult.Header::name).containsExactly("Content-Length");
		assertThat(body(r)).isEqualTo("ok");
		assertThat(r.headerBlock()).startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103").endsWith("Content-Length: 2\r\n\r\n");
		assertThat(failure("HTTP/1.1 100 Continue\r\n\r\n"))
			.hasMessage("the connection closed after an interim answer, before the final one");
	}

	@Test
	void endlessTrailersStopAtTheHeaderLimitInsteadOfFillingTheHeap() {
		StringBuilder wire = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
		String line = "X: " + "t".repeat(1000) + "\r\n";
		while (wire.length() < 200_000) {
			wire.append(line);
		}
		OutboundException ex = failure(wire.toString(), 1 << 20);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.MALFORMED);
		assertThat(ex).hasMessage("the trailers are longer than 65536 bytes");
	}

	@Test
	void longChunkExtensionsHaveACapOfTheirOwn() {
		StringBuilder wire = new StringBuilder("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
		String chunk = "1;" + "e".repeat(1000) + "\r\na\r\n";
		for (int i = 0; i < 70; i++) {
			wire.append(chunk);
		}
		OutboundException ex = failure(wire.toString(), 16_000);
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE);
		assertThat(ex).hasMessageStartingWith("the chunk size lines alone are longer than 65536 bytes");
	}
}
