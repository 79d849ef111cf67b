package dev.socketdeck.web;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outbound TCP sessions against real servers on loopback: the app's own greeter and echo, and
 * test-local peers that reset or never read.
 */
class SessionApiTests extends ApiTestSupport {

	@AfterEach
	void closeSessions() {
		for (JsonNode s : this.api.get("/api/sessions").expect(200).json()) {
			this.api.delete("/api/sessions/" + s.path("id").asString());
		}
	}

	private JsonNode open(int port) {
		Api.Reply r = this.api.post("/api/sessions", """
				{"host": "127.0.0.1", "port": %d}
				""".formatted(port)).expect(201);
		JsonNode s = r.json();
		assertThat(r.headers().firstValue("Location")).hasValue("/api/sessions/" + s.path("id").asString());
		return s;
	}

	private JsonNode awaitTraffic(String id, String type, String text) {
		JsonNode[] found = new JsonNode[1];
		eventually().until(() -> {
			for (JsonNode e : this.api.get("/api/sessions/" + id + "/traffic?after=0&limit=1000").expect(200).json()
				.path("events")) {
				if (e.path("type").asString().equals(type) && e.path("text").asString().equals(text)) {
					found[0] = e;
					return true;
				}
			}
			return false;
		});
		return found[0];
	}

	private JsonNode session(String id) {
		return this.api.get("/api/sessions/" + id).expect(200).json();
	}

	@Test
	void aSessionToTheGreeterHoldsADialogueUntilThePeerCloses() {
		JsonNode greeter = tcp("greeter", "line");
		JsonNode s = open(boundPort(greeter));
		String id = s.path("id").asString();
		assertThat(s.path("state").asString()).isEqualTo("open");
		assertThat(s.path("remoteAddress").asString()).isEqualTo("127.0.0.1:" + boundPort(greeter));
		assertThat(s.path("localAddress").asString()).startsWith("127.0.0.1:");
		assertThat(s.path("framing").asString()).isEqualTo("line");

		awaitTraffic(id, "in", "Welcome!");
		JsonNode sent = this.api.post("/api/sessions/" + id + "/send", "{\"text\": \"Michael\"}").expect(200).json();
		assertThat(sent.path("bytes").asInt()).as("line framing adds the newline").isEqualTo(8);
		JsonNode out = awaitTraffic(id, "out", "Michael\n");
		assertThat(out.path("session").asString()).isEqualTo(id);
		assertThat(out.has("listener")).isFalse();
		assertThat(out.path("hex").asString()).isEqualTo("4d 69 63 68 61 65 6c 0a");
		awaitTraffic(id, "in", "Hello, Michael!");

		this.api.post("/api/sessions/" + id + "/send", "{\"text\": \"exit\"}").expect(200);
		eventually().until(() -> session(id).path("state").asString().equals("closed"));
		JsonNode closed = session(id);
		assertThat(closed.path("reason").asString()).isEqualTo("the peer closed the connection");
		assertThat(closed.path("closedAt").isNull()).isFalse();
		assertThat(closed.path("framesIn").asInt()).isEqualTo(2);

		this.api.post("/api/sessions/" + id + "/send", "{\"text\": \"again\"}")
			.problem(409, null, "session " + id + " is closed", "the peer closed the connection");
		assertThat(this.api.get("/api/sessions").expect(200).json().toString()).contains("\"id\":\"" + id + "\"");
	}

	@Test
	void theTrafficStreamShowsTheSessionLiveAndEndsWhenItIsDeleted() {
		JsonNode echo = tcp("echo", "line");
		String id = open(boundPort(echo)).path("id").asString();
		awaitTraffic(id, "open", "");
		try (SseClient sse = SseClient.open(this.api.uri("/api/sessions/" + id + "/traffic/stream?after=0"))
			.awaitOpen()) {
			SseClient.Event open = sse.await(e -> e.name().equals("traffic"));
			assertThat(open.json().path("type").asString()).isEqualTo("open");
			assertThat(open.json().path("note").asString()).startsWith("connected to 127.0.0.1:" + boundPort(echo));
			this.api.post("/api/sessions/" + id + "/send", "{\"hex\": \"68 69\"}").expect(200);
			SseClient.Event in = sse.await(e -> e.name().equals("traffic") && e.json().path("type").asString().equals("in"));
			assertThat(in.json().path("text").asString()).isEqualTo("hi");
			assertThat(in.json().path("session").asString()).isEqualTo(id);

			this.api.delete("/api/sessions/" + id).expect(204);
			SseClient.Event close = sse.await(e -> e.name().equals("traffic") && e.json().path("type").asString().equals("close"));
			assertThat(close.json().path("note").asString()).isEqualTo("closed by you");
			SseClient.Event end = sse.await(e -> e.name().equals("end"));
			assertThat(end.json().path("reason").asString()).isEqualTo("session deleted");
		}
		this.api.get("/api/sessions/" + id).problem(404, null, "there is no session '" + id + "'");
	}

	@Test
	void aRefusedConnectAnswers502AndLeavesNoSession() {
		int port = LocalServer.freePort();
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.1\", \"port\": %d}".formatted(port))
			.problem(502, null, "connection refused by tcp 127.0.0.1:" + port, "nothing is listening");
		assertThat(this.api.get("/api/sessions").expect(200).json().size()).isZero();
	}

	@Test
	void aHostThatDoesNotResolveAnswers502NamingTheHost() {
		this.api.post("/api/sessions", "{\"host\": \"no-such-host.invalid\", \"port\": 80}")
			.problem(502, "host", "cannot resolve host 'no-such-host.invalid'");
	}

	@Test
	void badRequestsNameTheirField() {
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.1\", \"port\": 0}").problem(400, "port", "port");
		this.api.post("/api/sessions", "{\"port\": 80}").problem(400, "host", "host");
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.1\", \"port\": 80, \"charset\": \"klingon\"}")
			.problem(400, "charset", "'klingon' is not a charset");
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.1\", \"port\": 80, \"framing\": \"lines\"}")
			.problem(400, "framing", "unknown framing 'lines'");
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.1\", \"port\": 80, \"connectTimeoutMs\": 50000}")
			.problem(400, "connectTimeoutMs", "socketdeck.outbound.max-wait");
		this.api.post("/api/sessions/s999/send", "{\"text\": \"x\"}").problem(404, null, "there is no session 's999'");
	}

	@Test
	void aResetByThePeerEndsTheSessionAsFailedWithTheReason() throws Exception {
		CountDownLatch reset = new CountDownLatch(1);
		try (LocalServer server = LocalServer.start(socket -> {
			socket.getInputStream().read(); // wait for the test to say so
			socket.setSoLinger(true, 0);
			socket.close();
			reset.countDown();
		})) {
			String id = open(server.port()).path("id").asString();
			this.api.post("/api/sessions/" + id + "/send", "{\"text\": \"go\"}").expect(200);
			assertThat(reset.await(10, TimeUnit.SECONDS)).isTrue();
			eventually().until(() -> !session(id).path("state").asString().equals("open"));
			JsonNode s = session(id);
			assertThat(s.path("state").asString()).isEqualTo("failed");
			assertThat(s.path("reason").asString()).isEqualTo("the peer reset the connection");
			awaitTraffic(id, "close", "");
		}
	}

	@Test
	void aPeerThatNeverReadsGetsSendsRefusedWithoutHoldingUpTheRequestOrOtherSessions() {
		CountDownLatch done = new CountDownLatch(1);
		try (LocalServer server = LocalServer.start(socket -> done.await(20, TimeUnit.SECONDS))) {
			String stuck = open(server.port()).path("id").asString();
			JsonNode echo = tcp("echo", "line");
			String other = open(boundPort(echo)).path("id").asString();
			String mb = "{\"text\": \"" + "x".repeat(1 << 20) + "\", \"raw\": true}";
			Api.Reply refused = null;
			for (int i = 0; i < 64 && refused == null; i++) {
				Api.Reply r = this.api.post("/api/sessions/" + stuck + "/send", mb);
				if (r.status() != 200) {
					refused = r;
				}
			}
			assertThat(refused).as("a send refused within 64 MiB").isNotNull();
			refused.problem(409, null, "the peer is not reading", "nothing was queued");
			assertThat(session(stuck).path("state").asString()).isEqualTo("open");
			assertThat(session(stuck).path("queuedBytes").asLong()).isPositive();

			this.api.post("/api/sessions/" + other + "/send", "{\"text\": \"still here\"}").expect(200);
			awaitTraffic(other, "in", "still here");
			done.countDown();
		}
	}

	@Test
	void deletingClosesTheConnectionSoThePeerSeesEndOfStream() throws Exception {
		CountDownLatch eof = new CountDownLatch(1);
		try (LocalServer server = LocalServer.start(socket -> {
			InputStream in = socket.getInputStream();
			while (in.read() >= 0) {
				// until the session closes
			}
			eof.countDown();
		})) {
			String id = open(server.port()).path("id").asString();
			this.api.delete("/api/sessions/" + id).expect(204);
			assertThat(eof.await(10, TimeUnit.SECONDS)).as("the peer saw the close").isTrue();
			this.api.delete("/api/sessions/" + id).problem(404, null, "there is no session");
		}
	}

	@Test
	void aLineWithoutItsEndingIsAFrameAfterAShortPause() throws Exception {
		try (LocalServer server = LocalServer.start(socket -> {
			socket.getOutputStream().write("prompt> ".getBytes(StandardCharsets.UTF_8));
			socket.getInputStream().read();
		})) {
			String id = open(server.port()).path("id").asString();
			JsonNode in = awaitTraffic(id, "in", "prompt> ");
			assertThat(in.path("size").asInt()).isEqualTo(8);
		}
	}
}
