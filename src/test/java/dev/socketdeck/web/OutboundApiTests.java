package dev.socketdeck.web;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One-shot outbound requests against real servers on loopback: the app's own greeter, echo,
 * HTTP and UDP greeter listeners, and test-local peers (chunked, slow, reset, TLS with a
 * self-signed certificate).
 */
class OutboundApiTests extends ApiTestSupport {

	/** Reads the request head, up to the empty line. */
	private static String readHead(InputStream in) throws Exception {
		StringBuilder sb = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			sb.append((char) b);
			if (sb.toString().endsWith("\r\n\r\n")) {
				break;
			}
		}
		return sb.toString();
	}

	private static void answer(java.net.Socket socket, String response) throws Exception {
		readHead(socket.getInputStream());
		OutputStream out = socket.getOutputStream();
		out.write(response.getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
	}

	// --- TCP exchange ---

	@Test
	void anExchangeWithTheGreeterCollectsEverythingUntilThePeerCloses() {
		int port = boundPort(tcp("greeter", "line"));
		JsonNode r = this.api.post("/api/tcp/exchange", """
				{"host": "127.0.0.1", "port": %d, "text": "Michael\\nexit\\n"}
				""".formatted(port)).expect(200).json();
		assertThat(r.path("sent").path("text").asString()).isEqualTo("Michael\nexit\n");
		assertThat(r.path("received").path("text").asString()).isEqualTo("Welcome!\nHello, Michael!\n");
		assertThat(r.path("received").path("size").asInt()).isEqualTo(25);
		assertThat(r.path("ended").asString()).isEqualTo("peer-closed");
		assertThat(r.path("remoteAddress").asString()).isEqualTo("127.0.0.1:" + port);
		assertThat(r.path("firstByteMs").isNumber()).isTrue();
	}

	@Test
	void anExchangeWithAPeerThatStaysOpenEndsWhenTheWaitPasses() {
		int port = boundPort(tcp("echo", "raw"));
		JsonNode r = this.api.post("/api/tcp/exchange", """
				{"host": "127.0.0.1", "port": %d, "hex": "70 69 6e 67", "waitMs": 200}
				""".formatted(port)).expect(200).json();
		assertThat(r.path("received").path("text").asString()).isEqualTo("ping");
		assertThat(r.path("ended").asString()).isEqualTo("wait-elapsed");
		assertThat(r.path("totalMs").asDouble()).isGreaterThanOrEqualTo(190);
	}

	@Test
	void anExchangeResetByThePeerSaysSo() throws Exception {
		try (LocalServer server = LocalServer.start(socket -> {
			socket.getInputStream().read();
			socket.getOutputStream().write("partial".getBytes(StandardCharsets.UTF_8));
			socket.getOutputStream().flush();
			socket.setSoLinger(true, 0);
			socket.close();
		})) {
			JsonNode r = this.api.post("/api/tcp/exchange", """
					{"host": "127.0.0.1", "port": %d, "text": "x", "waitMs": 5000}
					""".formatted(server.port())).expect(200).json();
			assertThat(r.path("ended").asString()).isEqualTo("reset");
			assertThat(r.path("note").asString()).isEqualTo("the peer reset the connection");
		}
	}

	@Test
	void exchangeErrorsAreProblems() {
		int free = LocalServer.freePort();
		this.api.post("/api/tcp/exchange", "{\"host\": \"127.0.0.1\", \"port\": %d, \"text\": \"x\"}".formatted(free))
			.problem(502, null, "connection refused");
		this.api.post("/api/tcp/exchange", "{\"host\": \"127.0.0.1\", \"port\": %d}".formatted(free))
			.problem(400, "text", "give either \"text\" or \"hex\", not neither");
		this.api.post("/api/tcp/exchange", "{\"host\": \"127.0.0.1\", \"port\": %d, \"hex\": \"zz\"}".formatted(free))
			.problem(400, "hex", "hex");
		this.api.post("/api/tcp/exchange",
				"{\"host\": \"127.0.0.1\", \"port\": %d, \"text\": \"x\", \"waitMs\": 31000}".formatted(free))
			.problem(400, "waitMs", "31000 ms is longer than the 30000 ms allowed");
	}

	// --- UDP ---

	@Test
	void udpSendsToTheGreeterReturnAHelloForEachDatagram() {
		JsonNode greeter = create("""
				{"name": "%s", "protocol": "udp", "port": 0, "behaviour": "greeter"}
				""".formatted(name("udp-greeter")));
		int port = boundPort(greeter);
		JsonNode r = this.api.post("/api/udp/send", """
				{"host": "127.0.0.1", "port": %d, "text": "Michael", "count": 3, "intervalMs": 5, "waitMs": 500}
				""".formatted(port)).expect(200).json();
		assertThat(r.path("sent").asInt()).isEqualTo(3);
		assertThat(r.path("sentBytes").asInt()).isEqualTo(21);
		assertThat(r.path("replies").size()).isEqualTo(3);
		for (JsonNode reply : r.path("replies")) {
			assertThat(reply.path("text").asString()).isEqualTo("Hello, Michael!\n");
			assertThat(reply.path("from").asString()).isEqualTo("127.0.0.1:" + port);
			assertThat(reply.path("time").asString()).isNotBlank();
		}
		assertThat(r.path("note").isNull()).isTrue();
	}

	@Test
	void udpToAPortWithNobodySaysSo() {
		int free;
		try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			free = s.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		JsonNode r = this.api.post("/api/udp/send", """
				{"host": "127.0.0.1", "port": %d, "text": "anyone?", "waitMs": 300}
				""".formatted(free)).expect(200).json();
		assertThat(r.path("replies").size()).isZero();
		assertThat(r.path("note").asString()).isEqualTo("nothing is listening on udp 127.0.0.1:" + free
				+ " (it answered ICMP port unreachable)");
	}

	@Test
	void udpFromALocalPortInUseIsAConflictNamingTheField() throws Exception {
		try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(0))) {
			this.api.post("/api/udp/send", """
					{"host": "127.0.0.1", "port": 9, "text": "x", "localPort": %d}
					""".formatted(taken.getLocalPort())).problem(409, "localPort", "is already in use");
		}
		this.api.post("/api/udp/send", "{\"host\": \"127.0.0.1\", \"port\": 9, \"text\": \"x\", \"count\": 1001}")
			.problem(400, "count", "count");
		this.api.post("/api/udp/send", "{\"host\": \"127.0.0.1\", \"port\": 9, \"text\": \"x\", \"count\": 100, \"intervalMs\": 1000}")
			.problem(400, "intervalMs", "take longer than the 30000 ms allowed");
	}

	// --- HTTP over a raw socket ---

	@Test
	void fetchingTheHelloListenerShowsTheRequestBytesTheHeaderBlockAndHelloWorld() {
		int port = boundPort(tcp("http", "raw"));
		JsonNode r = this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\"}".formatted(port)).expect(200).json();
		assertThat(r.path("request").path("text").asString()).isEqualTo("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUser-Agent: SocketDeck\r\nAccept: */*\r\nConnection: close\r\n\r\n");
		assertThat(r.path("status").path("code").asInt()).isEqualTo(200);
		assertThat(r.path("status").path("line").asString()).isEqualTo("HTTP/1.1 200 OK");
		assertThat(r.path("headerBlock").asString()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
		assertThat(r.path("body").path("text").asString()).isEqualTo("Hello World");
		assertThat(r.path("body").path("transfer").asString()).isEqualTo("content-length");
		assertThat(r.path("body").path("binary").asBoolean()).isFalse();
		assertThat(r.path("tls").isNull()).isTrue();
		assertThat(r.path("timings").path("totalMs").isNumber()).isTrue();

		Api.Reply body = this.api.get(r.path("body").path("download").asString()).expect(200);
		assertThat(body.body()).isEqualTo("Hello World");
		assertThat(body.contentType()).startsWith("text/plain");
		assertThat(body.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
		assertThat(body.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		this.api.get("/api/fetch/f999999/body").problem(404, null, "there is no fetch 'f999999'");
	}

	@Test
	void aChunkedAnswerIsJoinedAndABinaryOneShownAsHex() throws Exception {
		try (LocalServer chunked = LocalServer.start(s -> answer(s, """
				HTTP/1.1 200 OK\r
				Content-Type: text/plain\r
				Transfer-Encoding: chunked\r
				\r
				5\r
				Hello\r
				6;ext=1\r
				 World\r
				0\r
				\r
				""")); LocalServer binary = LocalServer.start(s -> {
			readHead(s.getInputStream());
			s.getOutputStream().write("HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
			s.getOutputStream().write(new byte[] { 0, 1, 2, (byte) 0xff });
			s.close();
		})) {
			JsonNode r = this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/x\"}".formatted(chunked.port()))
				.expect(200).json();
			assertThat(r.path("body").path("text").asString()).isEqualTo("Hello World");
			assertThat(r.path("body").path("size").asInt()).isEqualTo(11);
			assertThat(r.path("body").path("transfer").asString()).isEqualTo("chunked");

			JsonNode b = this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/f.bin\"}".formatted(binary.port()))
				.expect(200).json();
			assertThat(b.path("body").path("binary").asBoolean()).isTrue();
			assertThat(b.path("body").path("text").isNull()).isTrue();
			assertThat(b.path("body").path("hex").asString()).isEqualTo("00 01 02 ff");
			assertThat(b.path("body").path("transfer").asString()).isEqualTo("until-close");
			Api.Reply file = this.api.get(b.path("body").path("download").asString()).expect(200);
			assertThat(file.headers().firstValue("Content-Disposition").orElse("")).contains("filename=\"f.bin\"");
		}
	}

	@Test
	void aSlowServerTimesOutWith504() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		try (LocalServer slow = LocalServer.start(s -> release.await(20, TimeUnit.SECONDS))) {
			this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\", \"timeoutMs\": 300}".formatted(slow.port()))
				.problem(504, null, "no complete answer from http://127.0.0.1:" + slow.port() + "/ within 300 ms");
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void answersThatAreNotHttpOrTooBigAre502() throws Exception {
		int greeter = boundPort(tcp("greeter", "line"));
		this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\", \"timeoutMs\": 2000}".formatted(greeter))
			.problem(502, null, "the answer does not start with an HTTP status line: 'Welcome!'");
		try (LocalServer big = LocalServer.start(s -> answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 999999999\r\n\r\n"))) {
			this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\"}".formatted(big.port()))
				.problem(502, null, "the response body is larger than", "socketdeck.outbound.max-response-bytes");
		}
		try (LocalServer cut = LocalServer.start(s -> answer(s, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))) {
			this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\"}".formatted(cut.port()))
				.problem(502, null, "the body ended after 5 of 10 bytes");
		}
	}

	@Test
	void badUrlsAndUnknownHostsAreClearProblems() {
		this.api.post("/api/fetch", "{\"url\": \"ftp://127.0.0.1/\"}").problem(400, "url", "the scheme 'ftp' is not supported");
		this.api.post("/api/fetch", "{\"url\": \"127.0.0.1:8081\"}").problem(400, "url", "url");
		this.api.post("/api/fetch", "{\"url\": \"http://no-such-host.invalid/\"}")
			.problem(502, "host", "cannot resolve host 'no-such-host.invalid'");
		this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:1/\", \"headers\": {\"X\": \"a\\r\\nInjected: 1\"}}")
			.problem(400, "headers", "line break");
	}

	@Test
	void httpsIsVerifiedUnlessInsecureLikeCurlK() throws Exception {
		try (LocalServer tls = LocalServer.startTls(s -> answer(s,
				"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\nConnection: close\r\n\r\nsecret"))) {
			String url = "https://127.0.0.1:%d/".formatted(tls.port());
			this.api.post("/api/fetch", "{\"url\": \"%s\"}".formatted(url))
				.problem(502, null, "TLS with 127.0.0.1:" + tls.port() + " failed", "\"insecure\": true");

			JsonNode r = this.api.post("/api/fetch", "{\"url\": \"%s\", \"insecure\": true}".formatted(url))
				.expect(200).json();
			assertThat(r.path("body").path("text").asString()).isEqualTo("secret");
			assertThat(r.path("tls").path("verified").asBoolean()).isFalse();
			assertThat(r.path("tls").path("protocol").asString()).startsWith("TLSv1.");
			assertThat(r.path("tls").path("peer").asString()).isEqualTo("CN=localhost");
			assertThat(r.path("timings").path("tlsMs").isNumber()).isTrue();
		}
	}
}
