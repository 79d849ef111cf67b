package dev.socketdeck.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.socketdeck.listener.Listener;
import dev.socketdeck.listener.ListenerRegistry;
import dev.socketdeck.listener.ListenerState;
import dev.socketdeck.traffic.TrafficEvent;
import org.jspecify.annotations.Nullable;

/**
 * One listener's traffic for its STOMP topic: at most {@link #BATCH} events and
 * {@link #BATCH_BYTES} of payload per batch, and a batch never lags behind: when more arrived
 * since the last one, it skips ahead to the newest and says how many it skipped. Follows the
 * listener by name: a listener deleted and made again under the same name is followed from its
 * first event, once the old one's last events were sent. Used by the publisher's thread only.
 */
final class TrafficFeed {

	static final int BATCH = 2000;

	static final int BATCH_BYTES = 256 * 1024;

	private final String id;

	/** Where its messages go, worked out once. */
	private final String destination;

	private final ListenerRegistry registry;

	private @Nullable Listener listener;

	private @Nullable TrafficCursor cursor;

	/** Starts after the listener's newest event (or with its first, if it does not exist yet). */
	TrafficFeed(String id, ListenerRegistry registry) {
		this.id = id;
		this.destination = LiveTopic.traffic(id).destination();
		this.registry = registry;
		Listener l = registry.find(id);
		if (l != null) {
			follow(l, l.traffic().lastSeq());
		}
	}

	String destination() {
		return this.destination;
	}

	String id() {
		return this.id;
	}

	/** What the listener logged since the last batch, or null when nothing happened. */
	@Nullable TrafficBatchMessage poll() {
		if (this.listener == null) {
			Listener made = this.registry.find(this.id);
			if (made == null) {
				return null;
			}
			// made after the subscription: all of its traffic is new
			follow(made, 0);
		}
		Listener l = Objects.requireNonNull(this.listener);
		TrafficCursor c = Objects.requireNonNull(this.cursor);
		// gone: deleted, or made by a create whose bind failed (removed, never retired); read
		// before the log: once gone, the log holds everything the listener will ever say
		boolean gone = l.deleted() || l.state() == ListenerState.FAILED && this.registry.find(this.id) != l;
		TrafficCursor.Batch batch = c.next();
		if (gone && batch.caughtUp()) {
			this.listener = null;
			this.cursor = null;
		}
		if (batch.isEmpty()) {
			return null;
		}
		List<LiveTrafficEvent> views = new ArrayList<>(batch.events().size());
		for (TrafficEvent e : batch.events()) {
			views.add(LiveTrafficEvent.of(e));
		}
		return new TrafficBatchMessage(this.id, views, batch.dropped(), batch.next());
	}

	private void follow(Listener l, long after) {
		this.listener = l;
		this.cursor = new TrafficCursor(l.traffic(), after, BATCH, BATCH, BATCH_BYTES);
	}
}
