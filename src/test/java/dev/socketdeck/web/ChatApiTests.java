package dev.socketdeck.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat rooms with real TCP clients and real STOMP clients together, and the support desk with
 * real TCP clients and the operator's REST calls.
 */
class ChatApiTests extends ApiTestSupport {

	private record Room(String name, int port) {
	}

	private Room room() {
		return room("");
	}

	private Room room(String limits) {
		String name = name("room");
		JsonNode l = create("""
				{"name": "%s", "protocol": "tcp", "port": 0, "behaviour": "chat" %s}
				""".formatted(name, limits));
		return new Room(name, boundPort(l));
	}

	/** A TCP participant that has joined under {@code nick}. */
	private static LineClient tcp(Room room, String nick) {
		LineClient c = LineClient.connect(room.port());
		assertThat(c.next()).isEqualTo("Welcome to " + room.name() + "! What is your nickname?");
		c.send(nick);
		c.awaitStart("Hi " + nick + "!");
		return c;
	}

	/** A web participant: joined over REST, present through its STOMP subscription. */
	private record Web(String nick, String token, StompClient stomp, StompClient.Subscription topic) {
	}

	private Web web(Room room, String nick) {
		JsonNode m = this.api.post("/api/rooms/" + room.name() + "/members", "{\"nick\": \"" + nick + "\"}")
			.expect(201)
			.json();
		String token = m.path("member").asString();
		StompClient stomp = StompClient.connect(this.serverPort);
		StompClient.Subscription topic = stomp.subscribe("/topic/chat/" + room.name(), Map.of("member", token));
		return new Web(nick, token, stomp, topic);
	}

	private JsonNode roomView(Room room) {
		return this.api.get("/api/rooms/" + room.name()).expect(200).json();
	}

	private void awaitMembers(Room room, int n) {
		eventually().until(() -> roomView(room).path("members").size() == n);
	}

	@Test
	void threeTcpClientsAndTwoWebUsersEachGetEveryMessageOnceInOrderPerSender() {
		Room room = room();
		List<LineClient> tcp = new ArrayList<>();
		List<Web> web = new ArrayList<>();
		try {
			for (String nick : List.of("t1", "t2", "t3")) {
				tcp.add(tcp(room, nick));
			}
			for (String nick : List.of("w1", "w2")) {
				web.add(web(room, nick));
			}
			awaitMembers(room, 5);
			// the last to join sees everyone
			JsonNode members = roomView(room).path("members");
			assertThat(members.toString()).contains("\"nick\":\"t1\",\"via\":\"tcp\"", "\"nick\":\"w2\",\"via\":\"web\"");

			int perSender = 3;
			for (int i = 1; i <= perSender; i++) {
				for (int t = 0; t < 3; t++) {
					tcp.get(t).send("from t" + (t + 1) + " #" + i);
				}
				for (Web w : web) {
					w.stomp().send("/app/chat/" + room.name(),
							Map.of("nick", w.nick(), "text", "from " + w.nick() + " #" + i, "member", w.token()));
				}
			}
			List<String> senders = List.of("t1", "t2", "t3", "w1", "w2");
			// every TCP client: everyone else's messages, once each, in each sender's order; not its own
			for (int t = 0; t < 3; t++) {
				LineClient c = tcp.get(t);
				String self = "t" + (t + 1);
				List<String> got = new ArrayList<>();
				while (got.size() < (senders.size() - 1) * perSender) {
					String line = c.next();
					if (line.startsWith("[")) {
						got.add(line);
					}
				}
				for (String s : senders) {
					List<String> fromS = got.stream().filter(l -> l.startsWith("[" + s + "] ")).toList();
					if (s.equals(self)) {
						assertThat(fromS).as("%s is not sent its own lines", self).isEmpty();
					}
					else {
						assertThat(fromS).as("what %s got from %s", self, s)
							.containsExactly("[" + s + "] from " + s + " #1", "[" + s + "] from " + s + " #2",
									"[" + s + "] from " + s + " #3");
					}
				}
			}
			// every web user: all fifteen, once each, in each sender's order, numbered without gaps
			for (Web w : web) {
				List<JsonNode> got = new ArrayList<>();
				while (got.size() < senders.size() * perSender) {
					got.add(w.topic().await(m -> m.path("type").asString().equals("message"), Duration.ofSeconds(10)));
				}
				for (String s : senders) {
					assertThat(got.stream().filter(m -> m.path("nick").asString().equals(s)).map(m -> m.path("text").asString()))
						.as("what %s got from %s", w.nick(), s)
						.containsExactly("from " + s + " #1", "from " + s + " #2", "from " + s + " #3");
				}
				assertThat(got.stream().map(m -> m.path("seq").asLong()).distinct().count()).isEqualTo(15);
			}
			JsonNode history = this.api.get("/api/rooms/" + room.name() + "/messages?after=0&limit=1000").expect(200).json();
			assertThat(history.path("messages").findValuesAsString("type").stream().filter("message"::equals).count())
				.isEqualTo(15);
		}
		finally {
			tcp.forEach(LineClient::close);
			web.forEach(w -> w.stomp().close());
		}
	}

	@Test
	void aTakenNicknameIsRefusedWithTheReasonEverywhere() {
		Room room = room();
		try (LineClient alice = tcp(room, "alice"); LineClient other = LineClient.connect(room.port())) {
			other.next();
			other.send("ALICE");
			assertThat(other.next()).isEqualTo("the nickname 'alice' is taken in " + room.name()
					+ " (a TCP client has it). Another nickname?");
			other.send("not valid!");
			assertThat(other.next()).startsWith("nicknames are 1 to 24 letters");
			other.send("bob");
			assertThat(other.awaitStart("Hi bob!")).contains("alice (tcp)", "bob (tcp)");

			this.api.post("/api/rooms/" + room.name() + "/members", "{\"nick\": \"Alice\"}")
				.problem(409, "nick", "the nickname 'alice' is taken in " + room.name());
			this.api.post("/api/rooms/" + room.name() + "/messages", "{\"nick\": \"alice\", \"text\": \"spoof\"}")
				.problem(409, "nick", "is in use in " + room.name());
			this.api.post("/api/rooms/" + room.name() + "/members", "{\"nick\": \"<b>\"}").problem(400, "nick", "nicknames are");
			this.api.post("/api/rooms/" + room.name() + "/messages",
					"{\"nick\": \"carol\", \"text\": \"" + "x".repeat(1001) + "\"}")
				.problem(400, "text", "at most 1000 characters");
			this.api.post("/api/rooms/no-such-room/members", "{\"nick\": \"x\"}").problem(404, null, "no chat room 'no-such-room'");

			// a passer-by from curl is heard, its control characters stripped for TCP
			JsonNode posted = this.api.post("/api/rooms/" + room.name() + "/messages",
					"{\"nick\": \"carol\", \"text\": \"hi \\u001b[31mall\\u0007\"}").expect(201).json();
			assertThat(posted.path("via").asString()).isEqualTo("api");
			assertThat(alice.awaitStart("[carol]")).isEqualTo("[carol] hi [31mall");
		}
	}

	@Test
	void byebyeLeavesAndClosesAndWhoListsWhoIsIn() {
		Room room = room();
		try (LineClient a = tcp(room, "a"); LineClient b = tcp(room, "b")) {
			a.awaitStart("* b joined (tcp)");
			a.send("/who");
			assertThat(a.awaitStart("* in ")).isEqualTo("* in " + room.name() + ": a (tcp), b (tcp)");
			b.send("byebye");
			assertThat(b.next()).isEqualTo("Bye!");
			assertThat(b.awaitEnd(0)).as("the server closes after Bye!").isTrue();
			assertThat(a.awaitStart("* b ")).isEqualTo("* b left");
			awaitMembers(room, 1);
		}
	}

	@Test
	void aStuckTcpClientIsDroppedWithANoticeAndDelaysNobody() throws Exception {
		Room room = room(", \"limits\": {\"outboundQueueBytes\": 8192}");
		try (LineClient stuck = LineClient.connect(room.port(), 2048)) {
			stuck.next();
			stuck.send("stuck");
			stuck.awaitStart("Hi stuck!");
			// it never reads again
			try (LineClient reader = tcp(room, "reader"); LineClient talker = tcp(room, "talker");
					StompClient watcher = StompClient.connect(this.serverPort)) {
				// a page watching the room stays connected through the flood: it is told what was
				// held back, and reads it from the history
				StompClient.Subscription topic = watcher.subscribe("/topic/chat/" + room.name());
				awaitMembers(room, 3);
				// more than the kernel's buffers hold (4 MiB send buffer at most here), so the
				// engine's own queue for the stuck client must fill
				int n = 30_000;
				String pad = "p".repeat(200);
				AtomicReference<String> dropped = new AtomicReference<>();
				AtomicReference<Throwable> failure = new AtomicReference<>();
				java.util.concurrent.atomic.AtomicInteger seen = new java.util.concurrent.atomic.AtomicInteger();
				Thread reading = Thread.ofVirtual().start(() -> {
					try {
						while (seen.get() < n || dropped.get() == null) {
							String line = reader.next();
							if (line.startsWith("[talker] ")) {
								assertThat(line).isEqualTo("[talker] " + seen.get() + " " + pad);
								seen.incrementAndGet();
							}
							else if (line.startsWith("* stuck was dropped")) {
								dropped.set(line);
							}
						}
					}
					catch (Throwable ex) {
						failure.set(ex);
					}
				});
				StringBuilder burst = new StringBuilder();
				for (int i = 0; i < n; i++) {
					burst.append(i).append(' ').append(pad).append('\n');
				}
				talker.sendRaw(burst.toString());
				assertThat(reading.join(Duration.ofSeconds(30))).as("the reader finished within 30 s").isTrue();
				assertThat(failure.get()).as("what the reader saw").isNull();
				assertThat(seen.get()).as("lines the reader got, in order").isEqualTo(n);
				assertThat(dropped.get()).startsWith("* stuck was dropped: client is not reading");
				assertThat(roomView(room).path("members").toString()).doesNotContain("\"stuck\"");
				assertThat(stuck.awaitEnd(Integer.MAX_VALUE)).as("the stuck client's socket was closed").isTrue();
				JsonNode gap = topic.await(m -> m.path("type").asString().equals("gap"), Duration.ofSeconds(10));
				assertThat(gap.path("skipped").asInt()).isPositive();
				assertThat(watcher.isConnected()).as("the watching page was not dropped").isTrue();
				long last = this.api.get("/api/rooms/" + room.name()).expect(200).json().path("lastSeq").asLong();
				assertThat(gap.path("seq").asLong()).isBetween(1L, last);
			}
		}
	}

	@Test
	void aWebUserLeavesWhenItsStompSessionEnds() {
		Room room = room();
		try (LineClient t = tcp(room, "t")) {
			Web w = web(room, "webby");
			t.awaitStart("* webby joined (web)");
			w.stomp().close();
			assertThat(t.awaitStart("* webby")).isEqualTo("* webby left");
			awaitMembers(room, 1);
		}
	}

	@Test
	void errorsOfAStompSendOrALapsedMembershipGoToThatSessionAlone() {
		Room room = room();
		try (LineClient t = tcp(room, "taken"); StompClient stomp = StompClient.connect(this.serverPort);
				StompClient bystander = StompClient.connect(this.serverPort)) {
			StompClient.Subscription errors = stomp.subscribe("/user/queue/errors");
			StompClient.Subscription others = bystander.subscribe("/user/queue/errors");
			StompClient.Subscription topic = stomp.subscribe("/topic/chat/" + room.name(), Map.of("member", "no-such-token"));
			JsonNode lapsed = errors.await(m -> true, Duration.ofSeconds(10));
			assertThat(lapsed.path("field").asString()).isEqualTo("member");
			assertThat(lapsed.path("detail").asString()).contains("has lapsed; join again");

			stomp.send("/app/chat/" + room.name(), Map.of("nick", "taken", "text", "spoof"));
			JsonNode refused = errors.await(m -> true, Duration.ofSeconds(10));
			assertThat(refused.path("field").asString()).isEqualTo("nick");
			assertThat(refused.path("detail").asString()).contains("the nickname 'taken' is in use");

			stomp.send("/app/chat/" + room.name(), Map.of("nick", "passer", "text", "heard"));
			assertThat(topic.await(m -> m.path("type").asString().equals("message"), Duration.ofSeconds(10))
				.path("text").asString()).isEqualTo("heard");
			assertThat(t.awaitStart("[passer]")).isEqualTo("[passer] heard");
			// the bystander's own queue saw none of it (everything above went through the same
			// broker after its subscription, so anything misrouted would have arrived by now)
			assertThat(others.seen()).isEmpty();
		}
	}

	@Test
	void aRefusedChatListenerLeavesNoRoomBehind() {
		Room room = room();
		// the same name again: refused, and the room still belongs to the first
		this.api.post("/api/listeners", "{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"chat\"}"
			.formatted(room.name())).problem(409, "name", "already exists");
		try (LineClient t = tcp(room, "still")) {
			assertThat(roomView(room).path("members").toString()).contains("\"still\"");
		}
		// a new name, refused because the listeners are at their limit: no room of that name appears
		while (this.api.get("/api/listeners").expect(200).json().size() < 64) {
			create("{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"discard\", \"autostart\": false}"
				.formatted(name("filler")));
		}
		String refused = name("refused");
		this.api.post("/api/listeners", "{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"chat\"}"
			.formatted(refused)).problem(409, null, "the maximum");
		this.api.get("/api/rooms/" + refused).problem(404, null, "no chat room '" + refused + "'");
		assertThat(this.api.get("/api/rooms").expect(200).body()).doesNotContain("\"" + refused + "\"");
	}

	@Test
	void aStompSendThatIsNotJsonIsRefusedToItsSender() {
		Room room = room();
		try (StompClient stomp = StompClient.connect(this.serverPort)) {
			StompClient.Subscription errors = stomp.subscribe("/user/queue/errors");
			stomp.send("/app/chat/" + room.name(), "not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
			JsonNode e = errors.await(m -> true, Duration.ofSeconds(10));
			assertThat(e.path("detail").asString()).startsWith("the message must be JSON");
		}
	}

	// --- the support desk

	@Test
	void aBroadcastByebyeEndsEveryConversationAndANickCanBeCleared() {
		String desk = name("desk");
		int port = boundPort(create("{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"desk\"}"
			.formatted(desk)));
		try (LineClient a = LineClient.connect(port); LineClient b = LineClient.connect(port)) {
			a.next();
			b.next();
			a.send("/nick Ann");
			assertThat(a.next()).isEqualTo("Thanks, Ann.");
			a.send("/nick");
			assertThat(a.next()).isEqualTo("Name cleared.");
			eventually().until(() -> connections(desk).size() == 2 && !connections(desk).toString().contains("Ann"));
			this.api.post("/api/listeners/" + desk + "/broadcast", "{\"text\": \"byebye\"}").expect(200);
			assertThat(a.next()).isEqualTo("byebye");
			assertThat(b.next()).isEqualTo("byebye");
			assertThat(a.awaitEnd(0)).isTrue();
			assertThat(b.awaitEnd(0)).isTrue();
		}
	}

	@Test
	void theDeskRoutesEachReplyToOneClientOnlyAndByebyeFromEitherSideEndsIt() {
		String desk = name("desk");
		int port = boundPort(create("""
				{"name": "%s", "protocol": "tcp", "port": 0, "behaviour": "desk"}
				""".formatted(desk)));
		try (LineClient ann = LineClient.connect(port); LineClient bob = LineClient.connect(port)) {
			assertThat(ann.next()).startsWith("Welcome to the support desk.");
			assertThat(bob.next()).startsWith("Welcome to the support desk.");
			ann.send("/nick Ann");
			assertThat(ann.next()).isEqualTo("Thanks, Ann.");
			ann.send("my printer is on fire");
			eventually().until(() -> connections(desk).size() == 2
					&& connections(desk).toString().contains("\"label\":\"Ann\""));
			String annId = null;
			String bobId = null;
			for (JsonNode c : connections(desk)) {
				if ("Ann".equals(c.path("label").asString())) {
					annId = c.path("id").asString();
				}
				else {
					bobId = c.path("id").asString();
				}
			}
			assertThat(annId).isNotNull();
			assertThat(bobId).isNotNull();

			this.api.post("/api/listeners/" + desk + "/connections/" + annId + "/send", "{\"text\": \"Unplug it, Ann.\"}")
				.expect(200);
			assertThat(ann.next()).isEqualTo("Unplug it, Ann.");
			this.api.post("/api/listeners/" + desk + "/connections/" + bobId + "/send", "{\"text\": \"Hello Bob\"}")
				.expect(200);
			assertThat(bob.next()).as("Bob gets his reply, and nothing meant for Ann before it").isEqualTo("Hello Bob");

			// the operator ends Ann's conversation; Bob ends his own
			this.api.post("/api/listeners/" + desk + "/connections/" + annId + "/send", "{\"text\": \"byebye\"}")
				.expect(200);
			assertThat(ann.next()).isEqualTo("byebye");
			assertThat(ann.awaitEnd(0)).as("the socket closes after the operator's byebye").isTrue();
			bob.send("byebye");
			assertThat(bob.next()).isEqualTo("Bye!");
			assertThat(bob.awaitEnd(0)).isTrue();
			eventually().until(() -> connections(desk).isEmpty());
			JsonNode closes = this.api.get("/api/listeners/" + desk + "/traffic?after=0&limit=1000").expect(200).json();
			assertThat(closes.path("events").findValuesAsString("note"))
				.contains("the operator said byebye", "the client said byebye");
		}
	}
}
