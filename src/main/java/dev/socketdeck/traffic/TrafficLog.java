package dev.socketdeck.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A bounded log of traffic events, by count and by payload bytes; when either budget is
 * exceeded the oldest events are dropped first and counted. Appending is what socket threads
 * do on their hot path: it takes a short lock, stores a reference and bumps counters, nothing
 * more. Payload arrays are kept as given, so callers hand over arrays they no longer change.
 */
public final class TrafficLog {

	private final int maxEvents;

	private final long maxBytes;

	private final TrafficEvent[] ring;

	private final ReentrantLock lock = new ReentrantLock();

	/** Index in {@link #ring} of the oldest event. */
	private int head;

	private int count;

	private long bytes;

	private long nextSeq = 1;

	private long dropped;

	public TrafficLog(int maxEvents, long maxBytes) {
		if (maxEvents < 1 || maxBytes < 1) {
			throw new IllegalArgumentException("a traffic log needs room for at least one event and one byte");
		}
		this.maxEvents = maxEvents;
		this.maxBytes = maxBytes;
		this.ring = new TrafficEvent[maxEvents];
	}

	/** Records an event, timed now, and returns it. */
	public TrafficEvent append(TrafficType type, @Nullable String connection, byte @Nullable [] payload,
			@Nullable String note) {
		return append(System.currentTimeMillis(), type, connection, payload, note);
	}

	/**
	 * Records an event at a time the caller already read (socket threads read the clock once
	 * for their own bookkeeping and the log alike) and returns it.
	 */
	public TrafficEvent append(long epochMillis, TrafficType type, @Nullable String connection,
			byte @Nullable [] payload, @Nullable String note) {
		byte[] data = (payload != null) ? payload : TrafficEvent.EMPTY;
		this.lock.lock();
		try {
			TrafficEvent event = new TrafficEvent(this.nextSeq++, epochMillis, connection, type, data, note);
			if (this.count == this.maxEvents) {
				dropOldest();
			}
			this.ring[(this.head + this.count) % this.maxEvents] = event;
			this.count++;
			this.bytes += data.length;
			while (this.bytes > this.maxBytes && this.count > 1) {
				dropOldest();
			}
			return event;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void dropOldest() {
		TrafficEvent old = this.ring[this.head];
		this.ring[this.head] = null;
		this.head = (this.head + 1) % this.maxEvents;
		this.count--;
		this.bytes -= old.payload().length;
		this.dropped++;
	}

	/**
	 * Events with a sequence number above {@code after}, oldest first, at most {@code limit}.
	 * {@link Page#missed()} counts events after {@code after} that were already dropped.
	 */
	public Page read(long after, int limit) {
		this.lock.lock();
		try {
			// a cursor from the future (an old Last-Event-ID after a restart) means "from now on"
			after = Math.min(after, this.nextSeq - 1);
			long firstSeq = this.nextSeq - this.count;
			long start = Math.max(after + 1, firstSeq);
			long missed = Math.max(0, firstSeq - Math.max(after + 1, 1));
			int available = (int) Math.max(0, this.nextSeq - start);
			int n = Math.min(available, Math.max(0, limit));
			List<TrafficEvent> events = new ArrayList<>(n);
			int offset = (int) (start - firstSeq);
			for (int i = 0; i < n; i++) {
				events.add(this.ring[(this.head + offset + i) % this.maxEvents]);
			}
			long last = n > 0 ? events.get(n - 1).seq() : Math.max(after, start - 1);
			return new Page(events, missed, last, this.nextSeq - 1);
		}
		finally {
			this.lock.unlock();
		}
	}

	/** The newest sequence number handed out, 0 when nothing was logged. */
	public long lastSeq() {
		this.lock.lock();
		try {
			return this.nextSeq - 1;
		}
		finally {
			this.lock.unlock();
		}
	}

	/** Events dropped to stay within the budget since the log was made. */
	public long dropped() {
		this.lock.lock();
		try {
			return this.dropped;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * A page of the log.
	 *
	 * @param events the events, oldest first
	 * @param missed events after the requested cursor that had already been dropped
	 * @param next the cursor to ask with next time (the last sequence number covered)
	 * @param last the newest sequence number in the log when the page was read
	 */
	public record Page(List<TrafficEvent> events, long missed, long next, long last) {
	}
}
