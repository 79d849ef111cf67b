package dev.socketdeck.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A listener's traffic: history pages by cursor, and the live Server-Sent Events stream. */
class TrafficApiTests extends ApiTestSupport {

	@Test
	void historyPagesByCursorWithEveryEventField() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		String cid;
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			for (String word : List.of("one", "two", "three")) {
				assertThat(c.roundTrip(word + "\n")).isEqualTo(word + "\n");
			}
			cid = onlyConnection(id);
		}
		// info, open, 3 x (in, out), close: the close is written once the server sees ours
		eventually().untilAsserted(() -> assertThat(this.api.get("/api/listeners/" + id + "/traffic?limit=100")
			.expect(200)
			.json()
			.path("last")
			.asLong()).isEqualTo(9));

		List<JsonNode> events = new ArrayList<>();
		long after = 0;
		int pages = 0;
		while (true) {
			Api.Reply r = this.api.get("/api/listeners/" + id + "/traffic?after=" + after + "&limit=4").expect(200);
			assertThat(r.contentType()).startsWith("application/json");
			JsonNode page = r.json();
			assertThat(page.path("listener").asString()).isEqualTo(id);
			assertThat(page.path("last").asLong()).isEqualTo(9);
			assertThat(page.path("missed").asLong()).isZero();
			if (page.path("events").isEmpty()) {
				assertThat(page.path("next").asLong()).as("an empty page keeps the cursor").isEqualTo(after);
				break;
			}
			assertThat(page.path("events").size()).isLessThanOrEqualTo(4);
			for (JsonNode e : page.path("events")) {
				events.add(e);
			}
			long next = page.path("next").asLong();
			assertThat(next).isEqualTo(events.getLast().path("seq").asLong());
			after = next;
			pages++;
		}
		assertThat(pages).isEqualTo(3);
		assertThat(events).extracting(e -> e.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
		// an out event is recorded once written, so it may come after the client's next in
		assertThat(events).extracting(e -> e.path("type").asString())
			.startsWith("info", "open")
			.endsWith("close")
			.containsOnlyOnce("info", "open", "close");
		assertThat(events).filteredOn(e -> e.path("type").asString().equals("in"))
			.extracting(e -> e.path("text").asString())
			.containsExactly("one", "two", "three");
		assertThat(events).filteredOn(e -> e.path("type").asString().equals("out"))
			.extracting(e -> e.path("text").asString())
			.containsExactly("one\n", "two\n", "three\n");
		for (JsonNode e : events) {
			assertThat(e.path("time").asString()).as("time of %s", e).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
			assertThat(e.path("listener").asString()).isEqualTo(id);
			assertThat(e.has("size")).isTrue();
		}
		JsonNode info = events.get(0);
		assertThat(info.path("connection").isNull()).isTrue();
		assertThat(info.path("note").asString()).contains("listening on tcp 127.0.0.1:" + boundPort(l));
		JsonNode in = find(events, "in");
		assertThat(in.path("connection").asString()).isEqualTo(cid);
		assertThat(in.path("text").asString()).isEqualTo("one");
		assertThat(in.path("hex").asString()).isEqualTo("6f 6e 65");
		assertThat(in.path("size").asInt()).isEqualTo(3);
		JsonNode out = find(events, "out");
		assertThat(out.path("connection").asString()).isEqualTo(cid);
		assertThat(out.path("text").asString()).isEqualTo("one\n");
		assertThat(out.path("hex").asString()).isEqualTo("6f 6e 65 0a");
		assertThat(out.path("size").asInt()).isEqualTo(4);
		assertThat(events.get(1).path("text").isNull()).as("no text for an open").isTrue();
		assertThat(events.get(8).path("note").asString()).isNotBlank();

		JsonNode beyond = this.api.get("/api/listeners/" + id + "/traffic?after=100").expect(200).json();
		assertThat(beyond.path("events").isEmpty()).isTrue();
		assertThat(beyond.path("next").asLong()).as("a cursor from the future comes back to the end").isEqualTo(9);
		assertThat(this.api.get("/api/listeners/" + id + "/traffic").expect(200).json().path("events").size())
			.as("default: from the oldest, up to 100").isEqualTo(9);
	}

	@Test
	void undecodableBytesShowAsReplacementCharactersAndExactHex() {
		JsonNode l = tcp("echo", "length-2");
		String id = l.path("id").asString();
		byte[] frame = { 0x00, 0x04, 0x48, (byte) 0xff, (byte) 0xfe, 0x00 };
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			c.send(frame);
			assertThat(c.read(6)).isEqualTo(frame);
		}
		eventually().untilAsserted(() -> {
			JsonNode events = this.api.get("/api/listeners/" + id + "/traffic").expect(200).json().path("events");
			JsonNode in = find(events, "in");
			assertThat(in.path("text").asString()).isEqualTo("H\uFFFD\uFFFD\u0000");
			assertThat(in.path("hex").asString()).isEqualTo("48 ff fe 00");
			assertThat(in.path("size").asInt()).isEqualTo(4);
			JsonNode out = find(events, "out");
			assertThat(out.path("hex").asString()).as("the bytes on the wire").isEqualTo("00 04 48 ff fe 00");
			assertThat(out.path("size").asInt()).isEqualTo(6);
		});
	}

	@Test
	void streamDeliversLiveTraffic() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (SseClient sse = SseClient.open(this.api.uri("/api/listeners/" + id + "/traffic/stream")).awaitOpen()) {
			assertThat(sse.response.join().statusCode()).isEqualTo(200);
			assertThat(sse.response.join().headers().firstValue("Content-Type").orElse(""))
				.startsWith("text/event-stream");
			try (TcpClient c = TcpClient.connect(boundPort(l))) {
				c.send("live frame\n");
				SseClient.Event e = sse
					.await(ev -> ev.name().equals("traffic") && ev.json().path("type").asString().equals("in"));
				JsonNode in = e.json();
				assertThat(in.path("text").asString()).isEqualTo("live frame");
				assertThat(in.path("listener").asString()).isEqualTo(id);
				assertThat(e.id()).isEqualTo(in.path("seq").asString());
				SseClient.Event out = sse.await(ev -> ev.json().path("type").asString().equals("out"));
				assertThat(out.json().path("text").asString()).isEqualTo("live frame\n");
			}
		}
	}

	@Test
	void aStreamFarBehindSkipsAheadAndSaysHowManyItMissed() {
		JsonNode l = tcp("discard", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			c.send("x\n".repeat(2600));
			await().atMost(Api.TIMEOUT)
				.until(() -> this.api.get("/api/listeners/" + id + "/stats").expect(200).json().path("framesIn").asInt(),
						n -> n == 2600);
		}
		// 1 info + 1 open + 2600 in: asking from the start is more than a stream may lag
		try (SseClient sse = SseClient.open(this.api.uri("/api/listeners/" + id + "/traffic/stream?after=0"))) {
			SseClient.Event dropped = sse.next();
			assertThat(dropped.name()).isEqualTo("dropped");
			long missed = dropped.json().path("dropped").asLong();
			SseClient.Event first = sse.next();
			assertThat(first.name()).isEqualTo("traffic");
			assertThat(Long.parseLong(first.id())).as("the stream resumes right after what it skipped")
				.isEqualTo(missed + 1);
			assertThat(missed).isBetween(1L, 2602L - 1);
		}
	}

	@Test
	void streamReplaysHistoryAfterACursor() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("earlier\n")).isEqualTo("earlier\n");
		}
		String stream = "/api/listeners/" + id + "/traffic/stream";
		try (SseClient sse = SseClient.open(this.api.uri(stream + "?after=0"))) {
			List<String> types = new ArrayList<>();
			for (int seq = 1; seq <= 4; seq++) {
				SseClient.Event e = sse.next();
				assertThat(e.name()).isEqualTo("traffic");
				assertThat(e.id()).isEqualTo(Integer.toString(seq));
				types.add(e.json().path("type").asString());
				if (seq == 3) {
					assertThat(e.json().path("text").asString()).isEqualTo("earlier");
				}
			}
			assertThat(types).containsExactly("info", "open", "in", "out");
		}
		try (SseClient sse = SseClient.open(this.api.uri(stream), "Last-Event-ID", "2")) {
			SseClient.Event e = sse.next();
			assertThat(e.id()).as("resumed after Last-Event-ID").isEqualTo("3");
			assertThat(e.json().path("text").asString()).isEqualTo("earlier");
		}
	}

	@Test
	void theStreamShowsWhatADeleteClosedBeforeItEnds() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (SseClient sse = SseClient.open(this.api.uri("/api/listeners/" + id + "/traffic/stream")).awaitOpen();
				TcpClient c = TcpClient.connect(boundPort(l))) {
			sse.await(ev -> ev.name().equals("traffic") && ev.json().path("type").asString().equals("open"));
			this.api.delete("/api/listeners/" + id).expect(204);
			SseClient.Event close = sse.await(ev -> ev.name().equals("end")
					|| ev.name().equals("traffic") && ev.json().path("type").asString().equals("close"));
			assertThat(close.name()).as("the close event comes before the end").isEqualTo("traffic");
			assertThat(close.json().path("note").asString()).isEqualTo("listener deleted");
			sse.await(ev -> ev.name().equals("end"));
		}
	}

	@Test
	void deletingTheListenerEndsTheStream() {
		JsonNode l = tcp("echo", "raw");
		String id = l.path("id").asString();
		try (SseClient sse = SseClient.open(this.api.uri("/api/listeners/" + id + "/traffic/stream")).awaitOpen()) {
			this.api.delete("/api/listeners/" + id).expect(204);
			SseClient.Event end = sse.await(e -> e.name().equals("end"));
			assertThat(end.json().path("reason").asString()).contains("deleted");
			sse.awaitEnd();
		}
	}

	private static JsonNode find(Iterable<JsonNode> events, String type) {
		for (JsonNode e : events) {
			if (e.path("type").asString().equals(type)) {
				return e;
			}
		}
		throw new AssertionError("no " + type + " event in " + events);
	}
}
