package dev.socketdeck.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.socket.WebSocketHttpHeaders;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The live channel over a real STOMP client: listener changes, traffic batches and stats,
 * published only for what someone subscribes to.
 */
class LiveChannelTests extends ApiTestSupport {

	@Autowired
	LiveSubscriptions subscriptions;

	@Autowired
	LiveFeeds feeds;

	@Autowired
	LivePublisher publisher;

	@Autowired
	@Qualifier("simpleBrokerMessageHandler")
	AbstractBrokerMessageHandler broker;

	private final List<StompClient> clients = new ArrayList<>();

	@AfterEach
	void disconnect() {
		this.clients.forEach(StompClient::close);
	}

	@Test
	void listenerChangesArriveOnTheListenersTopic() {
		StompClient.Subscription topic = subscribe(stomp(), "/topic/listeners");
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();

		JsonNode created = topic.await(about(id));
		assertThat(created.path("kind").asString()).isEqualTo("created");
		assertThat(created.path("listener").path("protocol").asString()).isEqualTo("tcp");
		assertThat(created.path("listener").path("behaviour").asString()).isEqualTo("echo");
		JsonNode started = topic.await(about(id));
		assertThat(started.path("kind").asString()).isEqualTo("started");
		assertThat(started.path("listener").path("state").asString()).isEqualTo("running");
		assertThat(started.path("listener").path("boundPort").asInt()).isEqualTo(boundPort(l));

		this.api.post("/api/listeners/" + id + "/stop").expect(200);
		JsonNode stopped = topic.await(about(id));
		assertThat(stopped.path("kind").asString()).isEqualTo("stopped");
		assertThat(stopped.path("listener").path("state").asString()).isEqualTo("stopped");
		assertThat(stopped.path("listener").path("reason").asString()).isEqualTo("listener stopped");
		assertThat(stopped.path("listener").path("boundPort").isNull()).isTrue();

		this.api.delete("/api/listeners/" + id).expect(204);
		JsonNode deleted = topic.await(about(id));
		assertThat(deleted.path("kind").asString()).isEqualTo("deleted");
		assertThat(deleted.path("listener").path("id").asString()).isEqualTo(id);
	}

	@Test
	void aCreateWhosePortIsTakenIsAnnouncedAsFailedThenDeleted() throws IOException {
		StompClient.Subscription topic = subscribe(stomp(), "/topic/listeners");
		String id = name("taken");
		try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			this.api.post("/api/listeners", """
					{"name": "%s", "protocol": "tcp", "port": %d, "behaviour": "echo"}
					""".formatted(id, taken.getLocalPort())).problem(409, "port", "already in use");
		}
		assertThat(topic.await(about(id)).path("kind").asString()).isEqualTo("created");
		JsonNode failed = topic.await(about(id));
		assertThat(failed.path("kind").asString()).isEqualTo("failed");
		assertThat(failed.path("listener").path("state").asString()).isEqualTo("failed");
		assertThat(failed.path("listener").path("reason").asString()).contains("already in use");
		assertThat(topic.await(about(id)).path("kind").asString()).isEqualTo("deleted");
	}

	@Test
	void aFrameArrivesInATrafficBatchWithItsTextHexAndSeq() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		long before = lastSeq(id);
		StompClient.Subscription traffic = subscribe(stomp(), traffic(id));
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("hello\n")).isEqualTo("hello\n");
			List<JsonNode> batches = batchesUntil(traffic, e -> e.path("type").asString().equals("out"));

			JsonNode in = events(batches).stream().filter(e -> e.path("type").asString().equals("in")).findFirst()
				.orElseThrow();
			// lean: the payload in base64, the time in epoch ms, nothing that every event would repeat
			assertThat(in.path("data").asString()).isEqualTo("aGVsbG8=");
			assertThat(text(in)).isEqualTo("hello");
			assertThat(in.path("connection").asString()).isEqualTo(onlyConnection(id));
			assertThat(in.has("listener")).isFalse();
			assertThat(in.has("note")).isFalse();
			assertThat(in.path("time").asLong()).isBetween(Instant.now().minusSeconds(60).toEpochMilli(),
					Instant.now().toEpochMilli());
			assertThat(in.path("seq").asLong()).isGreaterThan(before);
			assertThat(traffic.binaryFrames()).as("batches come as binary frames holding JSON")
				.isEqualTo(batches.size());
			for (JsonNode b : batches) {
				assertThat(b.path("listener").asString()).isEqualTo(id);
				assertThat(b.path("dropped").asLong()).isZero();
				assertThat(b.path("next").asLong()).isEqualTo(b.path("events").get(b.path("events").size() - 1)
					.path("seq").asLong());
			}
			assertThat(events(batches)).as("a subscription starts after the newest event")
				.allSatisfy(e -> assertThat(e.path("seq").asLong()).isGreaterThan(before))
				.extracting(e -> e.path("type").asString())
				.containsExactly("open", "in", "out");
		}
	}

	@Test
	void seqsIncreaseAcrossBatchesWithoutDuplicatesOrGaps() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		long before = lastSeq(id);
		StompClient.Subscription traffic = subscribe(stomp(), traffic(id));
		List<JsonNode> batches = new ArrayList<>();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			for (int i = 1; i <= 5; i++) {
				String text = "m" + i + "\n";
				assertThat(c.roundTrip(text)).isEqualTo(text);
				// the next frame is sent only once this one's echo was published: a batch each at least
				batches.addAll(batchesUntil(traffic, e -> text(e).equals(text)));
			}
		}
		assertThat(batches).hasSizeGreaterThanOrEqualTo(5);
		assertAccountedFor(batches, before);
		assertThat(batches).allSatisfy(b -> assertThat(b.path("dropped").asLong()).isZero());
		assertThat(events(batches)).extracting(e -> e.path("seq").asLong())
			.containsExactlyElementsOf(LongStream.rangeClosed(before + 1, before + 11).boxed().toList());
	}

	@Test
	void aBurstLargerThanABatchArrivesWithEveryMissingSeqCountedAsDropped() {
		JsonNode l = tcp("discard", "line");
		String id = l.path("id").asString();
		long before = lastSeq(id);
		StompClient.Subscription traffic = subscribe(stomp(), traffic(id));
		List<JsonNode> batches = new ArrayList<>();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			c.send("x\n".repeat(3000));
			long last = before + 3001; // open and 3000 frames
			eventually().until(() -> lastSeq(id) == last);
			while (batches.isEmpty() || batches.getLast().path("next").asLong() < last) {
				batches.add(traffic.next());
			}
		}
		assertThat(batches).allSatisfy(b -> assertThat(b.path("events").size()).isBetween(1, TrafficFeed.BATCH));
		assertAccountedFor(batches, before);
		long shown = events(batches).size();
		long dropped = batches.stream().mapToLong(b -> b.path("dropped").asLong()).sum();
		assertThat(shown + dropped).isEqualTo(3001);
		assertThat(text(events(batches).getLast())).isEqualTo("x");
	}

	@Test
	void aListenerDeletedAndMadeAgainIsFollowedToItsLastEventThenFromTheNewOnesFirst() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		StompClient.Subscription traffic = subscribe(stomp(), traffic(id));
		this.api.delete("/api/listeners/" + id).expect(204);
		JsonNode last = traffic.next();
		assertThat(last.path("events")).extracting(e -> e.path("note").asString()).containsExactly("stopped listening");
		assertThat(last.path("next").asLong()).isEqualTo(2);
		create("""
				{"name": "%s", "protocol": "tcp", "port": 0, "behaviour": "echo", "framing": "line"}
				""".formatted(id));
		JsonNode first = traffic.next();
		assertThat(first.path("events").get(0).path("seq").asLong()).as("the new listener's first event").isEqualTo(1);
		assertThat(first.path("events").get(0).path("note").asString()).startsWith("listening on tcp");
		assertThat(first.path("next").asLong() - first.path("dropped").asLong() - first.path("events").size()).isZero();
	}

	@Test
	void statsArriveEverySecondWithRatesAndTotals() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			StompClient.Subscription stats = subscribe(stomp(), "/topic/listeners/" + id + "/stats");
			String frames = "a".repeat(1000) + "\n" + "b".repeat(1000) + "\n" + "c".repeat(1000) + "\n";
			c.send(frames);
			assertThat(c.readText(frames.length())).isEqualTo(frames);

			JsonNode first = stats.await(m -> true, Duration.ofSeconds(3));
			assertThat(first.path("listener").asString()).isEqualTo(id);
			assertThat(first.path("connections").asInt()).isEqualTo(1);
			assertThat(Instant.parse(first.path("time").asString())).isBeforeOrEqualTo(Instant.now());
			for (String field : List.of("bytesInPerSec", "bytesOutPerSec", "framesInPerSec", "framesOutPerSec",
					"connectionsTotal", "bytesIn", "bytesOut", "framesIn", "framesOut", "errors", "slowClientsClosed",
					"trafficEvents", "trafficDropped")) {
				assertThat(first.path(field).isIntegralNumber()).as("%s in %s", field, first).isTrue();
			}

			JsonNode counted = (first.path("framesIn").asInt() == 3) ? first
					: stats.await(m -> m.path("framesIn").asInt() == 3, Duration.ofSeconds(3));
			assertThat(counted.path("bytesIn").asLong()).isEqualTo(frames.length());
			assertThat(counted.path("connectionsTotal").asLong()).isEqualTo(1);
			assertThat(counted.path("bytesInPerSec").asLong()).as("the bytes came after the subscription")
				.isPositive();
			JsonNode quiet = stats.await(m -> m.path("bytesInPerSec").asLong() == 0);
			assertThat(quiet.path("framesIn").asInt()).as("rates fall back, totals stay").isEqualTo(3);
			assertThat(quiet.path("framesInPerSec").asLong()).isZero();
			assertThat(Instant.parse(quiet.path("time").asString()))
				.isAfter(Instant.parse(counted.path("time").asString()));
		}
	}

	@Test
	void onlyListenersSomeoneSubscribesToAreReadAndOnlyFromTheSubscriptionOn() {
		JsonNode l = tcp("discard", "line");
		String id = l.path("id").asString();
		String topic = traffic(id);
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			c.send("early\n");
			eventually().until(() -> lastSeq(id) == 3); // listening, open, early
			long ticks = this.publisher.ticks();
			eventually().until(() -> this.publisher.ticks() >= ticks + 2);
			assertThat(this.feeds.readsTraffic(id)).as("nobody subscribes: its log is not read").isFalse();

			long before = lastSeq(id);
			StompClient.Subscription a = subscribe(stomp(), topic);
			StompClient second = stomp();
			StompClient.Subscription b = subscribe(second, topic);
			eventually().until(() -> this.subscriptions.count(topic) == 2);
			assertThat(this.feeds.readsTraffic(id)).isTrue();

			c.send("late\n");
			for (StompClient.Subscription s : List.of(a, b)) {
				JsonNode batch = s.await(m -> true);
				assertThat(batch.path("events")).extracting(LiveChannelTests::text).containsExactly("late");
				assertThat(batch.path("events").get(0).path("seq").asLong()).isEqualTo(before + 1);
				assertThat(batch.path("next").asLong() - batch.path("dropped").asLong() - 1).isEqualTo(before);
			}

			a.unsubscribe();
			eventually().until(() -> this.subscriptions.count(topic) == 1);
			assertThat(this.feeds.readsTraffic(id)).as("one subscriber is left").isTrue();
			second.close();
			eventually().until(() -> !this.feeds.readsTraffic(id));
			assertThat(this.subscriptions.count(topic)).isZero();
		}
	}

	@Test
	void pagesOnLoopbackMayConnectAndPagesFromElsewhereMayNot() {
		WebSocketHttpHeaders local = new WebSocketHttpHeaders();
		local.setOrigin("http://localhost:5173");
		try (StompClient c = StompClient.connect(this.serverPort, local)) {
			assertThat(c.isConnected()).isTrue();
		}
		WebSocketHttpHeaders elsewhere = new WebSocketHttpHeaders();
		elsewhere.setOrigin("http://example.com");
		assertThatThrownBy(() -> StompClient.connect(this.serverPort, elsewhere).close())
			.rootCause()
			.hasMessageContaining("[403]");
	}

	@Test
	void theWebSocketEndpointDeclinesCompressionSoBatchesAreNotDeflatedOncePerSubscriber() throws Exception {
		try (java.net.Socket s = new java.net.Socket("127.0.0.1", this.serverPort)) {
			s.setSoTimeout(5000);
			String handshake = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + this.serverPort + "\r\n"
					+ "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v12.stomp\r\n"
					+ "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
			s.getOutputStream().write(handshake.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			java.io.BufferedReader in = new java.io.BufferedReader(
					new java.io.InputStreamReader(s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
			List<String> head = new ArrayList<>();
			for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
				head.add(line);
			}
			assertThat(head.getFirst()).startsWith("HTTP/1.1 101");
			assertThat(head).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("sec-websocket-extensions"));
		}
	}

	// ---- helpers

	private StompClient stomp() {
		StompClient c = StompClient.connect(this.serverPort);
		this.clients.add(c);
		return c;
	}

	/**
	 * Subscribes, then waits until the broker has the subscription and the publisher counts it:
	 * STOMP's simple broker sends no receipt for a subscription.
	 */
	private StompClient.Subscription subscribe(StompClient client, String destination) {
		StompClient.Subscription s = client.subscribe(destination);
		eventually().until(() -> brokerHas(destination, s.id()) && this.subscriptions.count(destination) > 0);
		return s;
	}

	private boolean brokerHas(String destination, String subscriptionId) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination(destination);
		Message<byte[]> probe = MessageBuilder.createMessage(new byte[0], headers.getMessageHeaders());
		return ((SimpleBrokerMessageHandler) this.broker).getSubscriptionRegistry()
			.findSubscriptions(probe)
			.values()
			.stream()
			.anyMatch(ids -> ids.contains(subscriptionId));
	}

	/** A live event's payload as text. */
	private static String text(JsonNode event) {
		return new String(java.util.Base64.getDecoder().decode(event.path("data").asString("")),
				java.nio.charset.StandardCharsets.UTF_8);
	}

	private static String traffic(String id) {
		return "/topic/listeners/" + id + "/traffic";
	}

	private static Predicate<JsonNode> about(String id) {
		return m -> m.path("listener").path("id").asString().equals(id);
	}

	private long lastSeq(String id) {
		return this.api.get("/api/listeners/" + id + "/traffic?limit=1").expect(200).json().path("last").asLong();
	}

	private JsonNode stats(String id) {
		return this.api.get("/api/listeners/" + id + "/stats").expect(200).json();
	}

	/** Batches, in the order they came, up to the one holding an event that matches. */
	private static List<JsonNode> batchesUntil(StompClient.Subscription s, Predicate<JsonNode> event) {
		List<JsonNode> batches = new ArrayList<>();
		while (true) {
			JsonNode b = s.next();
			batches.add(b);
			for (JsonNode e : b.path("events")) {
				if (event.test(e)) {
					return batches;
				}
			}
		}
	}

	private static List<JsonNode> events(List<JsonNode> batches) {
		List<JsonNode> events = new ArrayList<>();
		for (JsonNode b : batches) {
			b.path("events").forEach(events::add);
		}
		return events;
	}

	/**
	 * Every batch starts where the previous one ended, having skipped exactly {@code dropped}
	 * sequence numbers; its events are consecutive and end at {@code next}; no seq comes twice.
	 */
	private static void assertAccountedFor(List<JsonNode> batches, long start) {
		long previous = start;
		Set<Long> seen = new HashSet<>();
		for (JsonNode b : batches) {
			JsonNode events = b.path("events");
			long next = b.path("next").asLong();
			long dropped = b.path("dropped").asLong();
			assertThat(next - dropped - events.size()).as("batch %s after %s", b, previous).isEqualTo(previous);
			long expected = previous + dropped + 1;
			for (JsonNode e : events) {
				long seq = e.path("seq").asLong();
				assertThat(seq).isEqualTo(expected++);
				assertThat(seen.add(seq)).as("seq %s twice", seq).isTrue();
			}
			previous = next;
		}
	}
}
