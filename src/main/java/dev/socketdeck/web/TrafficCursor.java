package dev.socketdeck.web;

import java.util.List;

import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficLog;

/**
 * Reads a listener's traffic log in batches for a live stream (the SSE streams and the STOMP
 * traffic topic). A reader that has more events waiting than it may lag behind skips ahead to
 * the newest and counts what it skipped, so it shows recent traffic a little late at worst,
 * never seconds late; events the log had already dropped count as skipped too.
 *
 * <p>Every batch accounts for every sequence number it moved past: {@code next - dropped -
 * events.size()} is the previous batch's {@code next}. One reader per cursor: not thread-safe.
 */
final class TrafficCursor {

	private final TrafficLog log;

	private final int maxEvents;

	private final int maxBacklog;

	private final long maxBytes;

	private long position;

	/**
	 * @param log the log to read
	 * @param after the sequence number to read after
	 * @param maxEvents events per batch at most
	 * @param maxBacklog events waiting beyond which the reader skips ahead to the newest
	 * {@code maxEvents}
	 * @param maxBytes payload bytes per batch at most (always at least one event): a batch
	 * holding more keeps its newest events and skips the older ones
	 */
	TrafficCursor(TrafficLog log, long after, int maxEvents, int maxBacklog, long maxBytes) {
		if (maxEvents < 1 || maxBacklog < maxEvents || maxBytes < 1) {
			throw new IllegalArgumentException("a batch holds at least one event, and may lag at least one batch");
		}
		this.log = log;
		this.position = after;
		this.maxEvents = maxEvents;
		this.maxBacklog = maxBacklog;
		this.maxBytes = maxBytes;
	}

	/** The sequence number read up to: the next batch starts after it. */
	long position() {
		return this.position;
	}

	/** What arrived since the last batch (possibly nothing), moving the cursor past it. */
	Batch next() {
		long skipped = 0;
		long last = this.log.lastSeq();
		if (last - this.position > this.maxBacklog) {
			long skipTo = last - this.maxEvents;
			skipped = skipTo - this.position;
			this.position = skipTo;
		}
		TrafficLog.Page page = this.log.read(this.position, this.maxEvents);
		List<TrafficEvent> events = newestWithin(page.events(), this.maxBytes);
		skipped += page.missed() + page.events().size() - events.size();
		this.position = page.next();
		return new Batch(events, skipped, page.next(), page.next() >= page.last());
	}

	/** The newest events whose payloads fit in {@code maxBytes}, and at least the newest one. */
	private static List<TrafficEvent> newestWithin(List<TrafficEvent> events, long maxBytes) {
		long bytes = 0;
		int from = events.size();
		while (from > 0) {
			int size = events.get(from - 1).size();
			if (bytes + size > maxBytes && from < events.size()) {
				break;
			}
			bytes += size;
			from--;
		}
		return (from == 0) ? events : events.subList(from, events.size());
	}

	/**
	 * One batch.
	 * @param events oldest first, consecutive sequence numbers
	 * @param dropped events skipped before these (the reader fell behind, or the log had dropped them)
	 * @param next the sequence number read up to (the last event's, when there are events)
	 * @param caughtUp nothing more was waiting when this batch was read
	 */
	record Batch(List<TrafficEvent> events, long dropped, long next, boolean caughtUp) {

		boolean isEmpty() {
			return this.events.isEmpty() && this.dropped == 0;
		}
	}
}
