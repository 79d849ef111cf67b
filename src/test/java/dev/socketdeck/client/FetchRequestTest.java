package dev.socketdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FetchRequestTest {

	private static HttpFetcher.Request request(String url) {
		return request(url, null, null, null);
	}

	private static HttpFetcher.Request request(String url, @Nullable String method,
			@Nullable Map<String, String> headers, @Nullable String body) {
		return HttpFetcher.Request.of(new FetchSpec(url, method, headers, body, null, null));
	}

	private static String wire(HttpFetcher.Request request) {
		return new String(request.bytes(), StandardCharsets.UTF_8);
	}

	private static OutboundException invalid(String url, @Nullable String method,
			@Nullable Map<String, String> headers) {
		Throwable thrown = catchThrowable(() -> request(url, method, headers, null));
		assertThat(thrown).isInstanceOf(OutboundException.class);
		OutboundException ex = (OutboundException) thrown;
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.INVALID);
		return ex;
	}

	@Test
	void writesAPlainGet() {
		HttpFetcher.Request r = request("http://127.0.0.1:8081/");
		assertThat(wire(r)).isEqualTo("""
				GET / HTTP/1.1\r
				Host: 127.0.0.1:8081\r
				User-Agent: SocketDeck\r
				Accept: */*\r
				Connection: close\r
				\r
				""");
		assertThat(r).extracting(HttpFetcher.Request::url, HttpFetcher.Request::https, HttpFetcher.Request::host,
				HttpFetcher.Request::port, HttpFetcher.Request::method)
			.containsExactly("http://127.0.0.1:8081/", false, "127.0.0.1", 8081, "GET");
	}

	@Test
	void leavesTheDefaultPortOutOfTheHostHeader() {
		HttpFetcher.Request r = request("http://example.test/");
		assertThat(wire(r)).startsWith("GET / HTTP/1.1\r\nHost: example.test\r\n");
		assertThat(r.port()).isEqualTo(80);
		assertThat(r.url()).isEqualTo("http://example.test/");

		HttpFetcher.Request explicit = request("http://example.test:80/");
		assertThat(wire(explicit)).startsWith("GET / HTTP/1.1\r\nHost: example.test\r\n");
		assertThat(explicit.url()).isEqualTo("http://example.test/");
	}

	@Test
	void httpsDefaultsToPort443() {
		HttpFetcher.Request r = request("HTTPS://example.test");
		assertThat(r.https()).isTrue();
		assertThat(r.port()).isEqualTo(443);
		assertThat(r.url()).isEqualTo("https://example.test/");
		assertThat(wire(r)).startsWith("GET / HTTP/1.1\r\nHost: example.test\r\n");

		HttpFetcher.Request on8443 = request("https://example.test:8443/");
		assertThat(on8443.port()).isEqualTo(8443);
		assertThat(wire(on8443)).startsWith("GET / HTTP/1.1\r\nHost: example.test:8443\r\n");
	}

	@Test
	void port443IsNotTheDefaultForHttp() {
		HttpFetcher.Request r = request("http://example.test:443/");
		assertThat(r.https()).isFalse();
		assertThat(wire(r)).startsWith("GET / HTTP/1.1\r\nHost: example.test:443\r\n");
		assertThat(r.url()).isEqualTo("http://example.test:443/");
	}

	@Test
	void keepsThePathAndQueryAsWrittenAndDropsTheFragment() {
		HttpFetcher.Request r = request("http://example.test/a/b%20c?x=1&y=%2F#section");
		assertThat(wire(r)).startsWith("GET /a/b%20c?x=1&y=%2F HTTP/1.1\r\n");
		assertThat(r.url()).isEqualTo("http://example.test/a/b%20c?x=1&y=%2F");
	}

	@Test
	void aQueryWithoutAPathGetsTheRootPath() {
		HttpFetcher.Request r = request("  http://example.test?q=1 ");
		assertThat(wire(r)).startsWith("GET /?q=1 HTTP/1.1\r\n");
		assertThat(r.url()).isEqualTo("http://example.test/?q=1");
	}

	@Test
	void takesTheMethodInUpperCase() {
		HttpFetcher.Request r = request("http://example.test/", " options ", null, null);
		assertThat(r.method()).isEqualTo("OPTIONS");
		assertThat(wire(r)).startsWith("OPTIONS / HTTP/1.1\r\n");
		assertThat(request("http://example.test/", " ", null, null).method()).isEqualTo("GET");
	}

	@Test
	void userHeadersReplaceDefaultsWhateverTheirCase() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("user-agent", "curl/8.5.0");
		headers.put("CONNECTION", "keep-alive");
		headers.put("X-Trace", "abc");
		HttpFetcher.Request r = request("http://127.0.0.1:8081/", null, headers, null);
		assertThat(wire(r)).isEqualTo("""
				GET / HTTP/1.1\r
				Host: 127.0.0.1:8081\r
				Accept: */*\r
				user-agent: curl/8.5.0\r
				CONNECTION: keep-alive\r
				X-Trace: abc\r
				\r
				""");
	}

	@Test
	void aUserHostHeaderReplacesTheDefaultButNotTheTarget() {
		HttpFetcher.Request r = request("http://127.0.0.1:8081/", null, Map.of("host", "virtual.test"), null);
		assertThat(wire(r)).isEqualTo("GET / HTTP/1.1\r\nUser-Agent: SocketDeck\r\nAccept: */*\r\nConnection: close\r\n"
				+ "host: virtual.test\r\n\r\n");
		assertThat(r.host()).isEqualTo("127.0.0.1");
		assertThat(r.port()).isEqualTo(8081);
	}

	@Test
	void aBodyIsSentAsUtf8WithItsContentLength() {
		HttpFetcher.Request r = request("http://127.0.0.1:8081/submit", "post",
				Map.of("Content-Type", "text/plain; charset=utf-8"), "h\u00e9llo");
		assertThat(r.bytes()).isEqualTo(("POST /submit HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nUser-Agent: SocketDeck\r\n"
				+ "Accept: */*\r\nConnection: close\r\nContent-Length: 6\r\nContent-Type: text/plain; charset=utf-8\r\n"
				+ "\r\nh\u00e9llo").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void anEmptyBodyStillHasAContentLength() {
		assertThat(wire(request("http://127.0.0.1:8081/", "PUT", null, "")))
			.endsWith("Connection: close\r\nContent-Length: 0\r\n\r\n");
	}

	@Test
	void anIpv6HostKeepsItsBracketsInTheHostHeaderButNotInHost() {
		HttpFetcher.Request r = request("http://[::1]:8080/x");
		assertThat(wire(r)).startsWith("GET /x HTTP/1.1\r\nHost: [::1]:8080\r\n");
		assertThat(r.host()).isEqualTo("::1");
		assertThat(r.port()).isEqualTo(8080);
		assertThat(r.url()).isEqualTo("http://[::1]:8080/x");
	}

	@Test
	void aUrlWithoutASchemeIsInvalid() {
		OutboundException ex = invalid("example.test/index.html", null, null);
		assertThat(ex.field()).isEqualTo("url");
		assertThat(ex).hasMessage("url: 'example.test/index.html' has no scheme: write http://... or https://...");
	}

	@Test
	void anFtpUrlIsInvalid() {
		OutboundException ex = invalid("FTP://example.test/file", null, null);
		assertThat(ex.field()).isEqualTo("url");
		assertThat(ex).hasMessage("url: the scheme 'ftp' is not supported: SocketDeck fetches http and https");
	}

	@Test
	void aUrlWithoutAHostIsInvalid() {
		OutboundException ex = invalid("http:///x", null, null);
		assertThat(ex.field()).isEqualTo("url");
		assertThat(ex).hasMessage("url: 'http:///x' has no host");
	}

	@Test
	void somethingThatIsNotAUrlIsInvalid() {
		OutboundException ex = invalid("http://example.test/a b", null, null);
		assertThat(ex.field()).isEqualTo("url");
		assertThat(ex).hasMessage("url: 'http://example.test/a b' is not a URL: Illegal character in path");
	}

	@Test
	void aPortOutOfRangeIsInvalid() {
		assertThat(invalid("http://127.0.0.1:99999/", null, null).field()).isEqualTo("url");
		assertThat(invalid("http://127.0.0.1:0/", null, null).field()).isEqualTo("url");
	}

	@Test
	void aMethodThatIsNotATokenIsInvalid() {
		OutboundException ex = invalid("http://127.0.0.1/", "GE T", null);
		assertThat(ex.field()).isEqualTo("method");
		assertThat(ex).hasMessage("method: 'GE T' is not an HTTP method");
	}

	@Test
	void aHeaderValueWithALineBreakIsInvalid() {
		OutboundException ex = invalid("http://127.0.0.1/", null, Map.of("X-A", "v\r\nEvil: 1"));
		assertThat(ex.field()).isEqualTo("headers");
		assertThat(ex).hasMessage("headers: the value of 'X-A' has a line break or NUL in it");
		assertThat(invalid("http://127.0.0.1/", null, Map.of("X-A", "v\nEvil: 1"))).hasMessage(ex.getMessage());
		assertThat(invalid("http://127.0.0.1/", null, Map.of("X-A", "v\u0000"))).hasMessage(ex.getMessage());
	}

	@Test
	void aHeaderNameThatIsNotATokenIsInvalid() {
		OutboundException ex = invalid("http://127.0.0.1/", null, Map.of("Bad Name", "v"));
		assertThat(ex.field()).isEqualTo("headers");
		assertThat(ex).hasMessage("headers: 'Bad Name' is not a header name");
		assertThat(invalid("http://127.0.0.1/", null, Map.of("X-A:", "v")))
			.hasMessage("headers: 'X-A:' is not a header name");
		assertThat(invalid("http://127.0.0.1/", null, Map.of(" ", "v"))).hasMessage("headers: '' is not a header name");
	}

	@Test
	void textDecodesInTheDeclaredCharset() {
		byte[] cafe = { 'c', 'a', 'f', (byte) 0xe9 };
		assertThat(HttpFetcher.text(cafe, "text/plain; charset=iso-8859-1")).isEqualTo("caf\u00e9");
		assertThat(HttpFetcher.text(cafe, "Text/Plain; Charset=\"ISO-8859-1\"; format=flowed")).isEqualTo("caf\u00e9");
	}

	@Test
	void textOfAnUnknownCharsetIsUtf8() {
		assertThat(HttpFetcher.text("h\u00e9".getBytes(StandardCharsets.UTF_8), "text/plain; charset=no-such-set"))
			.isEqualTo("h\u00e9");
	}

	@Test
	void jsonXmlAndJavascriptAreText() {
		byte[] json = "{\"a\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
		assertThat(HttpFetcher.text(json, "application/json")).isEqualTo("{\"a\":\"\u00e9\"}");
		assertThat(HttpFetcher.text(json, "application/problem+json")).isEqualTo("{\"a\":\"\u00e9\"}");
		assertThat(HttpFetcher.text(json, "image/svg+xml")).isEqualTo("{\"a\":\"\u00e9\"}");
		assertThat(HttpFetcher.text(json, "application/javascript")).isEqualTo("{\"a\":\"\u00e9\"}");
	}

	@Test
	void aBinaryTypeIsNotText() {
		assertThat(HttpFetcher.text("plain ascii".getBytes(StandardCharsets.US_ASCII), "image/png")).isNull();
		assertThat(HttpFetcher.text("plain ascii".getBytes(StandardCharsets.US_ASCII),
				"application/octet-stream; charset=utf-8")).isNull();
	}

	@Test
	void withoutATypeValidUtf8IsText() {
		assertThat(HttpFetcher.text("h\u00e9llo \u2713".getBytes(StandardCharsets.UTF_8), null))
			.isEqualTo("h\u00e9llo \u2713");
		assertThat(HttpFetcher.text(new byte[0], null)).isEmpty();
		assertThat(HttpFetcher.text("x".getBytes(StandardCharsets.UTF_8), "")).isEqualTo("x");
	}

	@Test
	void withoutATypeANulByteMakesItBinary() {
		assertThat(HttpFetcher.text(new byte[] { 'a', 0, 'b' }, null)).isNull();
	}

	@Test
	void withoutATypeInvalidUtf8IsBinary() {
		assertThat(HttpFetcher.text(new byte[] { 'a', (byte) 0xc3, '(' }, null)).isNull();
		assertThat(HttpFetcher.text(new byte[] { (byte) 0x89, 'P', 'N', 'G' }, null)).isNull();
	}

	@Test
	void aHostAndPortWithoutASchemeIsNotTakenForAScheme() {
		OutboundException ex = invalid("localhost:8080/x", null, null);
		assertThat(ex).hasMessage("url: 'localhost:8080/x' has no scheme: write http://... or https://...");
	}

	@Test
	void aHostWithAnUnderscoreAsDockerNamesThemIsAccepted() {
		HttpFetcher.Request r = request("http://my_service:8080/health");
		assertThat(r.host()).isEqualTo("my_service");
		assertThat(r.port()).isEqualTo(8080);
		assertThat(wire(r)).startsWith("GET /health HTTP/1.1\r\nHost: my_service:8080\r\n");
		assertThat(request("http://my_service/").port()).isEqualTo(80);
	}

	@Test
	void aNullHeaderValueIsInvalidRatherThanSentAsTheWordNull() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("X-A", null);
		assertThat(invalid("http://127.0.0.1/", null, headers))
			.hasMessage("headers: the value of 'X-A' is null; give a string");
	}
}
