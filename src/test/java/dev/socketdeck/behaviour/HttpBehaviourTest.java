package dev.socketdeck.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.Protocol;
import dev.socketdeck.listener.TcpClient;
import dev.socketdeck.listener.TestEngine;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpBehaviourTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private static HttpResponse<String> request(int port, String method) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(TestEngine.TIMEOUT).build()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
				.timeout(TestEngine.TIMEOUT)
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build();
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

	@Test
	void answersAGetWithHelloWorld() throws Exception {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		HttpResponse<String> response = request(port, "GET");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Hello World");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
		assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(11);
	}

	@Test
	void answersAHeadWithoutABody() throws Exception {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		HttpResponse<String> response = request(port, "HEAD");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEmpty();
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
			String answer = client.readTextToEnd();
			assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 11\r\n").endsWith("\r\n\r\n");
		}
	}

	@Test
	void takesStatusTypeAndBodyFromTheOptions() throws Exception {
		int port = this.engine.create(ListenerSpec.of("teapot", Protocol.TCP, 0, "http")
			.withOptions(Map.of("body", "<h1>Grüß dich</h1>", "contentType", "text/html; charset=utf-8", "status", "418")));
		HttpResponse<String> response = request(port, "GET");
		assertThat(response.statusCode()).isEqualTo(418);
		assertThat(response.body()).isEqualTo("<h1>Grüß dich</h1>");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
	}

	@Test
	void answersTheWholeResponseAndThenClosesTheConnection() throws IOException {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n");
			assertThat(client.readTextToEnd()).isEqualTo("""
					HTTP/1.1 200 OK\r
					Content-Type: text/plain; charset=utf-8\r
					Content-Length: 11\r
					Connection: close\r
					Server: SocketDeck\r
					\r
					Hello World""");
		}
		String connection = this.engine.awaitTraffic("hello", e -> e.type() == TrafficType.OPEN).connection();
		assertThat(this.engine.awaitClose("hello", connection)).isEqualTo("response sent");
	}

	@Test
	void understandsARequestHeadSplitAcrossWritesWithBareLineFeeds() throws IOException {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("GET /index.html HT");
			client.send("TP/1.0\nHost: x\n");
			client.send("\n");
			assertThat(client.readTextToEnd()).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nHello World");
		}
	}

	@Test
	void answersGarbageWithBadRequest() throws IOException {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("HELLO THERE\r\n\r\n");
			assertThat(client.readTextToEnd()).startsWith("HTTP/1.1 400 Bad Request\r\n")
				.endsWith("\r\n\r\nnot an HTTP/1.x request line\n");
		}
	}

	@Test
	void answersAnEndlessHeadWithHeadersTooLarge() throws IOException {
		int port = this.engine.create(ListenerSpec.of("hello", Protocol.TCP, 0, "http"));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("GET / HTTP/1.1\r\n");
			String header = "X-Filler: " + "a".repeat(1000) + "\r\n";
			for (int i = 0; i < 17; i++) {
				client.send(header);
			}
			assertThat(client.readLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large\r\n");
		}
	}
}
