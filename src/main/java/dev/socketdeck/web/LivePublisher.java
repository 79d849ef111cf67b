package dev.socketdeck.web;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.socketdeck.listener.ListenerEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MimeTypeUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * Publishes the live topics from one virtual thread: every {@link #TICK} it sends each
 * subscribed listener's new traffic as one batch and, once a second, its stats; listener
 * events are handed to the same thread as they happen. Socket threads and whoever holds a
 * listener's lock never serialise JSON or touch STOMP: they only record, or queue a task.
 *
 * <p>Traffic batches are serialised once and sent as binary STOMP frames (content type
 * {@code application/octet-stream}, the body is the JSON batch): a text frame would be decoded
 * into a string and encoded again for every subscriber, which at 100 subscribers cost more
 * than everything else together. Browsers read {@code body} either way.
 */
@Component
class LivePublisher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LivePublisher.class);

	static final Duration TICK = Duration.ofMillis(100);

	private final LiveFeeds feeds;

	private final LiveSubscriptions subscriptions;

	private final SimpMessageSendingOperations messaging;

	private final JsonMapper json;

	private final AtomicLong ticks = new AtomicLong();

	private final Object lifecycle = new Object();

	private volatile @Nullable ScheduledExecutorService executor;

	LivePublisher(LiveFeeds feeds, LiveSubscriptions subscriptions, SimpMessageSendingOperations messaging,
			JsonMapper json) {
		this.feeds = feeds;
		this.subscriptions = subscriptions;
		this.messaging = messaging;
		this.json = json;
	}

	/**
	 * Published while the listener's lock is held: only queues the change for the publisher's
	 * thread (nothing at all when nobody subscribes), and never calls back into the registry.
	 */
	@EventListener
	void on(ListenerEvent event) {
		ScheduledExecutorService e = this.executor;
		if (e == null || this.subscriptions.count(LiveTopic.LISTENERS) == 0) {
			return;
		}
		ListenerEventMessage message = new ListenerEventMessage(event.kind().label(),
				ListenerView.of(event.listener()));
		try {
			e.execute(() -> send(LiveTopic.LISTENERS_DESTINATION, message));
		}
		catch (RejectedExecutionException ex) {
			// stopping: the topic's subscribers are going away with the application
		}
	}

	/** One round: every subscribed listener's new traffic, and the stats that are due. */
	void tick() {
		try {
			for (TrafficFeed feed : this.feeds.traffic()) {
				TrafficBatchMessage batch = feed.poll();
				if (batch != null) {
					sendBinary(feed.destination(), batch);
				}
			}
			long now = System.nanoTime();
			for (StatsFeed feed : this.feeds.stats()) {
				StatsMessage stats = feed.sample(now);
				if (stats != null) {
					send(feed.destination(), stats);
				}
			}
		}
		catch (RuntimeException ex) {
			// a scheduled task that throws is never run again: say so, and tick on
			log.warn("Live publishing failed this round", ex);
		}
		finally {
			this.ticks.incrementAndGet();
		}
	}

	private void send(String destination, Object payload) {
		try {
			this.messaging.convertAndSend(destination, payload);
		}
		catch (MessagingException ex) {
			log.debug("Could not publish to {}: {}", destination, ex.getMessage());
		}
	}

	private void sendBinary(String destination, Object payload) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
		headers.setLeaveMutable(true);
		try {
			this.messaging.send(destination,
					MessageBuilder.createMessage(this.json.writeValueAsBytes(payload), headers.getMessageHeaders()));
		}
		catch (MessagingException ex) {
			log.debug("Could not publish to {}: {}", destination, ex.getMessage());
		}
	}

	/** Rounds done so far: tests wait for some to pass. */
	long ticks() {
		return this.ticks.get();
	}

	@Override
	public void start() {
		synchronized (this.lifecycle) {
			if (this.executor != null) {
				return;
			}
			ScheduledExecutorService e = Executors
				.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("live-publisher").factory());
			e.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
			this.executor = e;
		}
	}

	@Override
	public void stop() {
		synchronized (this.lifecycle) {
			ScheduledExecutorService e = this.executor;
			if (e == null) {
				return;
			}
			this.executor = null;
			e.shutdownNow();
			try {
				if (!e.awaitTermination(2, TimeUnit.SECONDS)) {
					log.warn("The live publisher did not stop within 2 s");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}
}
