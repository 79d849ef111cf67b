package dev.socketdeck.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.socketdeck.traffic.TrafficLog;
import dev.socketdeck.traffic.TrafficSource;
import org.jspecify.annotations.Nullable;

/**
 * A page of a listener's or a session's traffic: named in {@code listener} or {@code session}.
 *
 * @param listener the listener, for a listener's traffic
 * @param session the session, for a session's traffic
 * @param events oldest first
 * @param next the cursor for the next page
 * @param last the newest sequence number when this page was read
 * @param missed events after the cursor already dropped from the log
 */
record TrafficPage(@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String listener,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String session, List<TrafficEventView> events, long next,
		long last, long missed) {

	/** The events of {@code source} after {@code after}, at most {@code limit}. */
	static TrafficPage read(TrafficSource source, long after, int limit) {
		TrafficLog.Page page = source.traffic().read(after, limit);
		boolean session = "session".equals(source.kind());
		return new TrafficPage(session ? null : source.id(), session ? source.id() : null,
				page.events().stream().map(e -> TrafficEventView.of(source, e)).toList(), page.next(), page.last(),
				page.missed());
	}
}
