package dev.socketdeck.web;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.socketdeck.listener.EngineProperties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Listeners over REST: create, read, list, start, stop, delete, stats; behaviours. */
class ListenerApiTests extends ApiTestSupport {

	@Autowired
	EngineProperties properties;

	@Test
	void theListenersDeclaredInApplicationYmlAreNotCreated() {
		assertThat(this.properties.listeners()).isEmpty();
		for (JsonNode l : this.api.get("/api/listeners").expect(200).json()) {
			assertThat(l.path("declared").asBoolean()).as("declared listener %s", l).isFalse();
			assertThat(l.path("id").asString()).isNotIn("greeter", "greeter-udp", "hello-http", "echo");
		}
	}

	@Test
	void createAnswers201WithLocationAndTheBoundPort() {
		String name = name("echo");
		Api.Reply r = this.api.post("/api/listeners", """
				{"name": "%s", "protocol": "tcp", "port": 0, "behaviour": "echo"}
				""".formatted(name));
		created(name);
		r.expect(201);
		assertThat(r.contentType()).startsWith("application/json");
		assertThat(this.api.uri("/").resolve(r.headers().firstValue("Location").orElseThrow()))
			.isEqualTo(this.api.uri("/api/listeners/" + name));
		JsonNode l = r.json();
		assertThat(l.path("id").asString()).isEqualTo(name);
		assertThat(l.path("protocol").asString()).isEqualTo("tcp");
		assertThat(l.path("host").asString()).isEqualTo("127.0.0.1");
		assertThat(l.path("port").asInt()).isZero();
		assertThat(l.path("state").asString()).isEqualTo("running");
		assertThat(l.path("behaviour").asString()).isEqualTo("echo");
		assertThat(l.path("framing").path("type").asString()).isEqualTo("raw");
		assertThat(l.path("charset").asString()).isEqualTo("UTF-8");
		assertThat(l.path("autostart").asBoolean()).isTrue();
		assertThat(l.path("declared").asBoolean()).isFalse();
		assertThat(l.path("limits").path("maxConnections").asInt()).isEqualTo(1000);
		assertThat(l.path("stats").path("connections").asInt()).isZero();
		int port = boundPort(l);

		try (TcpClient c = TcpClient.connect(port)) {
			assertThat(c.roundTrip("ping")).isEqualTo("ping");
		}
		JsonNode got = this.api.get("/api/listeners/" + name).expect(200).json();
		assertThat(got.path("boundPort").asInt()).isEqualTo(port);
		assertThat(got.path("state").asString()).isEqualTo("running");
	}

	@Test
	void autostartFalseCreatesAStoppedListenerThatStartsAndStopsIdempotently() {
		String name = name("stopped");
		JsonNode l = create("""
				{"name": "%s", "protocol": "tcp", "behaviour": "echo", "autostart": false}
				""".formatted(name));
		assertThat(l.path("state").asString()).isEqualTo("stopped");
		assertThat(l.path("boundPort").isNull()).as("boundPort of %s", l).isTrue();
		assertThat(l.path("autostart").asBoolean()).isFalse();
		assertThat(this.api.get("/api/listeners/" + name).expect(200).json().path("state").asString())
			.isEqualTo("stopped");
		assertThat(connections(name).size()).isZero();

		JsonNode started = this.api.post("/api/listeners/" + name + "/start").expect(200).json();
		assertThat(started.path("state").asString()).isEqualTo("running");
		int port = boundPort(started);
		JsonNode again = this.api.post("/api/listeners/" + name + "/start").expect(200).json();
		assertThat(again.path("state").asString()).isEqualTo("running");
		assertThat(again.path("boundPort").asInt()).as("a second start keeps the socket").isEqualTo(port);
		try (TcpClient c = TcpClient.connect(port)) {
			assertThat(c.roundTrip("up")).isEqualTo("up");
		}

		JsonNode stopped = this.api.post("/api/listeners/" + name + "/stop").expect(200).json();
		assertThat(stopped.path("state").asString()).isEqualTo("stopped");
		assertThat(stopped.path("boundPort").isNull()).isTrue();
		JsonNode stoppedAgain = this.api.post("/api/listeners/" + name + "/stop").expect(200).json();
		assertThat(stoppedAgain.path("state").asString()).isEqualTo("stopped");
		assertThat(connections(name).size()).isZero();

		JsonNode restarted = this.api.post("/api/listeners/" + name + "/start").expect(200).json();
		try (TcpClient c = TcpClient.connect(boundPort(restarted))) {
			assertThat(c.roundTrip("again")).isEqualTo("again");
		}
	}

	@Test
	void stopClosesConnectedClients() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("hi")).isEqualTo("hi");
			// stop waits for its clients to close; this one closes once it sees the end of the stream
			CompletableFuture<Api.Reply> stop = CompletableFuture
				.supplyAsync(() -> this.api.post("/api/listeners/" + id + "/stop"));
			c.expectEndOfStream();
			c.close();
			assertThat(stop.join().expect(200).json().path("state").asString()).isEqualTo("stopped");
		}
	}

	@Test
	void listShowsEveryListenerByName() {
		String spec = """
				{"name": "%s", "protocol": "tcp", "behaviour": "echo"}""";
		String b = create(spec.formatted(name("list-b"))).path("id").asString();
		String a = create(spec.formatted(name("list-a"))).path("id").asString();
		List<String> ids = new ArrayList<>();
		for (JsonNode l : this.api.get("/api/listeners").expect(200).json()) {
			ids.add(l.path("id").asString());
		}
		assertThat(ids).contains(a, b).isSorted();
	}

	@Test
	void deleteRemovesTheListenerAndClosesItsClients() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("bye")).isEqualTo("bye");
			CompletableFuture<Api.Reply> delete = CompletableFuture
				.supplyAsync(() -> this.api.delete("/api/listeners/" + id));
			c.expectEndOfStream();
			c.close();
			Api.Reply r = delete.join().expect(204);
			assertThat(r.body()).isEmpty();
		}
		this.api.get("/api/listeners/" + id).problem(404, null, id);
		assertThat(this.api.listenerStates()).noneMatch(s -> s.startsWith(id + " "));
		this.api.delete("/api/listeners/" + id).problem(404, null, id);
	}

	@Test
	void statsCountTrafficAndConnections() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		JsonNode before = this.api.get("/api/listeners/" + id + "/stats").expect(200).json();
		assertThat(before.path("bytesIn").asLong()).isZero();
		assertThat(before.path("connectionsTotal").asLong()).isZero();

		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("hello")).isEqualTo("hello");
			eventually().untilAsserted(() -> {
				JsonNode s = this.api.get("/api/listeners/" + id + "/stats").expect(200).json();
				assertThat(s.path("connections").asInt()).isEqualTo(1);
				assertThat(s.path("connectionsTotal").asLong()).isEqualTo(1);
				assertThat(s.path("bytesIn").asLong()).isEqualTo(5);
				assertThat(s.path("bytesOut").asLong()).isEqualTo(5);
				assertThat(s.path("framesIn").asLong()).isEqualTo(1);
				assertThat(s.path("framesOut").asLong()).isEqualTo(1);
				assertThat(s.path("trafficEvents").asLong()).isGreaterThan(before.path("trafficEvents").asLong());
			});
		}
		eventually().untilAsserted(() -> {
			JsonNode s = this.api.get("/api/listeners/" + id + "/stats").expect(200).json();
			assertThat(s.path("connections").asInt()).isZero();
			assertThat(s.path("connectionsTotal").asLong()).isEqualTo(1);
		});
		assertThat(this.api.get("/api/listeners/" + id).expect(200).json().path("stats").path("bytesIn").asLong())
			.isEqualTo(5);
	}

	@Test
	void udpListenerOnAFreePortEchoesAndListsItsPeer() throws IOException {
		JsonNode l = create("""
				{"name": "%s", "protocol": "udp", "port": 0, "behaviour": "echo"}
				""".formatted(name("udp")));
		String id = l.path("id").asString();
		assertThat(l.path("protocol").asString()).isEqualTo("udp");
		int port = boundPort(l);
		try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			s.setSoTimeout(TcpClient.TIMEOUT_MS);
			byte[] out = "datagram".getBytes(StandardCharsets.UTF_8);
			s.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), port));
			DatagramPacket in = new DatagramPacket(new byte[100], 100);
			s.receive(in);
			assertThat(new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8)).isEqualTo("datagram");
			JsonNode peers = connections(id);
			assertThat(peers.size()).isEqualTo(1);
			assertThat(peers.get(0).path("remote").asString()).isEqualTo("127.0.0.1:" + s.getLocalPort());
		}
	}

	@Test
	void openApiDocsDescribeTheEndpoints() {
		JsonNode paths = this.api.get("/v3/api-docs").expect(200).json().path("paths");
		assertThat(paths.has("/api/listeners")).as("paths %s", paths.propertyNames()).isTrue();
		assertThat(paths.has("/api/listeners/{id}/traffic/stream")).isTrue();
	}

	@Test
	void behavioursAreListedWithWhatTheySupport() {
		Api.Reply r = this.api.get("/api/behaviours").expect(200);
		assertThat(r.contentType()).startsWith("application/json");
		List<String> names = new ArrayList<>();
		for (JsonNode b : r.json()) {
			names.add(b.path("name").asString());
			assertThat(b.path("description").asString()).isNotBlank();
			assertThat(b.path("defaultFraming").asString()).isIn("raw", "line", "length-1", "length-2", "length-4",
					"stx-etx");
			assertThat(b.path("options").isObject()).isTrue();
			if (b.path("name").asString().equals("http")) {
				assertThat(b.path("tcp").asBoolean()).isTrue();
				assertThat(b.path("udp").asBoolean()).isFalse();
			}
			if (b.path("name").asString().equals("greeter")) {
				assertThat(b.path("defaultFraming").asString()).isEqualTo("line");
				assertThat(b.path("options").path("welcome").asString()).isEqualTo("Welcome!");
			}
		}
		assertThat(names).contains("echo", "greeter", "http", "discard");
	}
}
