package dev.socketdeck.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Connections over REST, seen from real client sockets: list, send, kick, broadcast. */
class ConnectionApiTests extends ApiTestSupport {

	@Test
	void connectionsListTheClientsWithTheirAddresses() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		assertThat(connections(id).size()).isZero();
		try (TcpClient a = TcpClient.connect(boundPort(l)); TcpClient b = TcpClient.connect(boundPort(l))) {
			assertThat(a.roundTrip("a")).isEqualTo("a");
			assertThat(b.roundTrip("bb")).isEqualTo("bb");
			JsonNode list = connections(id);
			assertThat(list.size()).isEqualTo(2);
			List<String> remotes = new ArrayList<>();
			for (JsonNode c : list) {
				assertThat(c.path("id").asString()).isNotBlank();
				assertThat(c.path("openedAt").asString()).isNotBlank();
				assertThat(c.path("bytesIn").asLong()).isPositive();
				remotes.add(c.path("remote").asString());
			}
			assertThat(remotes).containsExactlyInAnyOrder("127.0.0.1:" + a.localPort(), "127.0.0.1:" + b.localPort());
		}
	}

	@Test
	void sendTextOnLineFramingAppendsTheLineEnding() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("ping\n")).isEqualTo("ping\n");
			String cid = onlyConnection(id);
			JsonNode sent = this.api
				.post("/api/listeners/" + id + "/connections/" + cid + "/send", "{\"text\": \"héllo\"}")
				.expect(200)
				.json();
			assertThat(sent.path("connections").asInt()).isEqualTo(1);
			assertThat(sent.path("bytes").asInt()).isEqualTo(7);
			assertThat(c.readText(7)).isEqualTo("héllo\n");
		}
	}

	@Test
	void sendHexIsExactAndRawSkipsTheFraming() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("ping\n")).isEqualTo("ping\n");
			String send = "/api/listeners/" + id + "/connections/" + onlyConnection(id) + "/send";

			assertThat(this.api.post(send, "{\"hex\": \"48 69\"}").expect(200).json().path("bytes").asInt())
				.isEqualTo(3);
			assertThat(c.read(3)).containsExactly(0x48, 0x69, '\n');

			JsonNode raw = this.api.post(send, "{\"hex\": \"48 69\", \"raw\": true}").expect(200).json();
			assertThat(raw.path("bytes").asInt()).isEqualTo(2);
			this.api.post(send, "{\"hex\": \"00ff\", \"raw\": true}").expect(200);
			this.api.post(send, "{\"text\": \"!\", \"raw\": true}").expect(200);
			assertThat(c.read(5)).as("raw sends, back to back, with no line ending between them")
				.containsExactly(0x48, 0x69, 0x00, 0xff, '!');
		}
	}

	@Test
	void deletingAConnectionClosesIt() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l)); TcpClient other = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("x")).isEqualTo("x");
			String cid = null;
			for (JsonNode conn : connections(id)) {
				if (conn.path("remote").asString().equals("127.0.0.1:" + c.localPort())) {
					cid = conn.path("id").asString();
				}
			}
			assertThat(cid).as("the connection of the client on port %d", c.localPort()).isNotNull();
			Api.Reply r = this.api.delete("/api/listeners/" + id + "/connections/" + cid);
			r.expect(204);
			assertThat(r.body()).isEmpty();
			c.expectEndOfStream();
			c.close();
			assertThat(other.roundTrip("still here")).isEqualTo("still here");
			String gone = cid;
			eventually().untilAsserted(() -> assertThat(connections(id).findValues("id")).extracting(JsonNode::asString)
				.doesNotContain(gone)
				.hasSize(1));
			this.api.delete("/api/listeners/" + id + "/connections/" + cid).problem(404, null, cid);
		}
	}

	@Test
	void broadcastReachesEveryClient() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		int port = boundPort(l);
		try (TcpClient a = TcpClient.connect(port); TcpClient b = TcpClient.connect(port);
				TcpClient c = TcpClient.connect(port)) {
			for (TcpClient client : List.of(a, b, c)) {
				assertThat(client.roundTrip("ready\n")).isEqualTo("ready\n");
			}
			JsonNode sent = this.api.post("/api/listeners/" + id + "/broadcast", "{\"text\": \"to all\"}")
				.expect(200)
				.json();
			assertThat(sent.path("connections").asInt()).isEqualTo(3);
			assertThat(sent.path("bytes").asInt()).isEqualTo(7);
			for (TcpClient client : List.of(a, b, c)) {
				assertThat(client.readText(7)).isEqualTo("to all\n");
			}

			JsonNode raw = this.api.post("/api/listeners/" + id + "/broadcast", "{\"hex\": \"01 02\", \"raw\": true}")
				.expect(200)
				.json();
			assertThat(raw.path("bytes").asInt()).isEqualTo(2);
			for (TcpClient client : List.of(a, b, c)) {
				assertThat(client.read(2)).containsExactly(1, 2);
			}
		}
	}

	@Test
	void broadcastWithNobodyConnectedReachesNobody() {
		JsonNode l = tcp("echo", "line");
		JsonNode sent = this.api.post("/api/listeners/" + l.path("id").asString() + "/broadcast", "{\"text\": \"hi\"}")
			.expect(200)
			.json();
		assertThat(sent.path("connections").asInt()).isZero();
	}
}
