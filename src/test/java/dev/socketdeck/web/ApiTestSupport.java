package dev.socketdeck.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared by the API tests: a client for the app on its random port, listeners with names of
 * their own (deleted after each test), and bounded waiting for what happens on other threads.
 */
@ApiTest
abstract class ApiTestSupport {

	private static final AtomicInteger names = new AtomicInteger();

	@LocalServerPort
	int serverPort;

	Api api;

	private final List<String> created = new ArrayList<>();

	@BeforeEach
	void client() {
		this.api = new Api(this.serverPort);
	}

	@AfterEach
	void deleteCreated() {
		for (String id : this.created) {
			int status = this.api.delete("/api/listeners/" + id).status();
			assertThat(status).isIn(204, 404);
		}
	}

	/** A name no other test uses. */
	static String name(String prefix) {
		return prefix + "-" + names.incrementAndGet();
	}

	/** Creates a listener from JSON (deleted after the test) and returns it; expects 201. */
	JsonNode create(String json) {
		Api.Reply r = this.api.post("/api/listeners", json);
		JsonNode l = r.expect(201).json();
		this.created.add(l.path("id").asString());
		return l;
	}

	/** A running TCP listener on a free port. */
	JsonNode tcp(String behaviour, String framing) {
		return create("""
				{"name": "%s", "protocol": "tcp", "port": 0, "behaviour": "%s", "framing": "%s"}
				""".formatted(name(behaviour), behaviour, framing));
	}

	/** Remembers a listener this test made some other way, so it is deleted afterwards. */
	void created(String id) {
		this.created.add(id);
	}

	static int boundPort(JsonNode listener) {
		int port = listener.path("boundPort").asInt();
		assertThat(port).as("boundPort of %s", listener).isPositive();
		return port;
	}

	/** The connections of a listener now. */
	JsonNode connections(String id) {
		return this.api.get("/api/listeners/" + id + "/connections").expect(200).json();
	}

	/** The id of the listener's one connection (a client already served by it). */
	String onlyConnection(String id) {
		JsonNode c = connections(id);
		assertThat(c.size()).as("connections of %s: %s", id, c).isEqualTo(1);
		return c.get(0).path("id").asString();
	}

	/** Waiting for other threads: bounded, polling often. */
	static ConditionFactory eventually() {
		return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20));
	}
}
