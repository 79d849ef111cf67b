package dev.socketdeck.web;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.socketdeck.listener.Listener;
import dev.socketdeck.listener.ListenerRegistry;
import dev.socketdeck.listener.ListenerStats;
import org.jspecify.annotations.Nullable;

/**
 * One listener's stats for its STOMP topic: a sample about once a second, rates computed from
 * the difference with the previous sample. Follows the listener by name: one made again under
 * the same name starts a new baseline. Made on a WebSocket thread (the subscription), then used
 * by the publisher's thread only.
 */
final class StatsFeed {

	static final Duration PERIOD = Duration.ofSeconds(1);

	/** A tick may come a little early: sampling at 900 ms or later keeps one sample a second. */
	private static final long DUE_NANOS = PERIOD.minus(LivePublisher.TICK.dividedBy(2)).toNanos();

	private final String id;

	/** Where its messages go, worked out once. */
	private final String destination;

	private final ListenerRegistry registry;

	private @Nullable Listener listener;

	private @Nullable ListenerStats previous;

	private long previousNanos;

	StatsFeed(String id, ListenerRegistry registry, long nanos) {
		this.id = id;
		this.destination = LiveTopic.stats(id).destination();
		this.registry = registry;
		Listener l = registry.find(id);
		if (l != null) {
			follow(l, nanos);
		}
		this.previousNanos = nanos;
	}

	String destination() {
		return this.destination;
	}

	String id() {
		return this.id;
	}

	/** A sample when one is due and the listener exists, else null. */
	@Nullable StatsMessage sample(long nanos) {
		if (nanos - this.previousNanos < DUE_NANOS) {
			return null;
		}
		Listener current = this.registry.find(this.id);
		ListenerStats before = this.previous;
		if (current == null || current != this.listener || before == null) {
			// gone, or made again: its counters started from zero, so start a new baseline
			this.listener = null;
			this.previous = null;
			this.previousNanos = nanos;
			if (current != null) {
				follow(current, nanos);
			}
			return null;
		}
		ListenerStats now = current.stats();
		Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		StatsMessage m = StatsMessage.of(this.id, time, now, before, nanos - this.previousNanos);
		this.previous = now;
		this.previousNanos = nanos;
		return m;
	}

	private void follow(Listener l, long nanos) {
		this.listener = l;
		this.previous = l.stats();
		this.previousNanos = nanos;
	}
}
