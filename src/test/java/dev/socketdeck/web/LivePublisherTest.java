package dev.socketdeck.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.socketdeck.listener.ListenerEvent;
import dev.socketdeck.listener.ListenerInfo;
import dev.socketdeck.listener.ListenerRegistry;
import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.ListenerState;
import dev.socketdeck.listener.ListenerStats;
import dev.socketdeck.listener.Protocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.simp.SimpMessageSendingOperations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

/** The publisher's thread: its lifecycle, and listener changes handed over to it. */
class LivePublisherTest {

	private final LiveFeeds feeds = new LiveFeeds(mock(ListenerRegistry.class));

	private final LiveSubscriptions subscriptions = new LiveSubscriptions(this.feeds);

	private final SimpMessageSendingOperations messaging = mock(SimpMessageSendingOperations.class);

	private final LivePublisher publisher = new LivePublisher(this.feeds, this.subscriptions, this.messaging,
			tools.jackson.databind.json.JsonMapper.builder().build());

	@AfterEach
	void stop() {
		this.publisher.stop();
	}

	@Test
	void ticksWhileRunningStopsCleanlyAndStartsAgain() {
		assertThat(this.publisher.isRunning()).isFalse();
		this.publisher.start();
		this.publisher.start();
		assertThat(this.publisher.isRunning()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.publisher.ticks() >= 2);

		this.publisher.stop();
		assertThat(this.publisher.isRunning()).isFalse();
		this.publisher.stop();

		long ticks = this.publisher.ticks();
		this.publisher.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.publisher.ticks() > ticks);
	}

	@Test
	void listenerChangesAreSentFromThePublishersThreadOnlyWhenSomeoneSubscribes() {
		List<Thread> senders = new CopyOnWriteArrayList<>();
		doAnswer(call -> senders.add(Thread.currentThread())).when(this.messaging)
			.convertAndSend(anyString(), any(Object.class));
		this.publisher.start();

		this.publisher.on(new ListenerEvent(ListenerEvent.Kind.CREATED, info("demo", ListenerState.STOPPED)));
		this.subscriptions.subscribed("session-1", "sub-1", LiveTopic.LISTENERS);
		this.publisher.on(new ListenerEvent(ListenerEvent.Kind.STARTED, info("demo", ListenerState.RUNNING)));

		verify(this.messaging, timeout(5000)).convertAndSend(eq("/topic/listeners"),
				argThat((Object m) -> m instanceof ListenerEventMessage e && e.kind().equals("started")
						&& e.listener().id().equals("demo") && e.listener().state() == ListenerState.RUNNING));
		// one thread, in order: had the first been queued, it would have gone first
		verify(this.messaging, never()).convertAndSend(eq("/topic/listeners"),
				argThat((Object m) -> m instanceof ListenerEventMessage e && e.kind().equals("created")));
		assertThat(senders).singleElement().satisfies(t -> {
			assertThat(t.isVirtual()).isTrue();
			assertThat(t.getName()).isEqualTo("live-publisher");
		});

		this.publisher.stop();
		// after a stop a change is dropped quietly: whoever holds a listener's lock must not fail
		this.publisher.on(new ListenerEvent(ListenerEvent.Kind.STOPPED, info("demo", ListenerState.STOPPED)));
	}

	@Test
	void subscriptionsAreCountedPerTopicAcrossSessions() {
		LiveTopic traffic = LiveTopic.traffic("demo");
		this.subscriptions.subscribed("s1", "a", traffic);
		this.subscriptions.subscribed("s2", "a", traffic);
		this.subscriptions.subscribed("s2", "b", LiveTopic.stats("demo"));
		assertThat(this.subscriptions.count("/topic/listeners/demo/traffic")).isEqualTo(2);
		assertThat(this.feeds.readsTraffic("demo")).isTrue();
		assertThat(this.feeds.readsStats("demo")).isTrue();

		this.subscriptions.unsubscribed("s1", "a");
		this.subscriptions.unsubscribed("s1", "a");
		assertThat(this.subscriptions.count(traffic)).isEqualTo(1);
		assertThat(this.feeds.readsTraffic("demo")).isTrue();

		this.subscriptions.disconnected("s2");
		this.subscriptions.disconnected("s2");
		assertThat(this.subscriptions.count(traffic)).isZero();
		assertThat(this.feeds.readsTraffic("demo")).isFalse();
		assertThat(this.feeds.readsStats("demo")).isFalse();
	}

	@Test
	void topicsAreParsedFromDestinations() {
		assertThat(LiveTopic.parse("/topic/listeners")).isEqualTo(LiveTopic.LISTENERS);
		assertThat(LiveTopic.parse("/topic/listeners/echo-1.a_b/traffic")).isEqualTo(LiveTopic.traffic("echo-1.a_b"));
		assertThat(LiveTopic.parse("/topic/listeners/echo/stats")).isEqualTo(LiveTopic.stats("echo"));
		assertThat(LiveTopic.traffic("echo").destination()).isEqualTo("/topic/listeners/echo/traffic");
		assertThat(LiveTopic.stats("echo").destination()).isEqualTo("/topic/listeners/echo/stats");
		assertThat(LiveTopic.parse("/topic/listeners/echo/other")).isNull();
		assertThat(LiveTopic.parse("/topic/listeners/a/b/traffic")).isNull();
		assertThat(LiveTopic.parse("/topic/chat/room")).isNull();
		assertThat(LiveTopic.parse(null)).isNull();
	}

	private static ListenerInfo info(String id, ListenerState state) {
		return new ListenerInfo(ListenerSpec.of(id, Protocol.TCP, 0, "echo"), false, state,
				(state == ListenerState.RUNNING) ? 4000 : null, null, Instant.now(),
				new ListenerStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
	}
}
