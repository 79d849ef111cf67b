package dev.socketdeck.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.socketdeck.traffic.Hex;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficSource;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;

/**
 * A traffic event as JSON: the payload both as text (in the source's charset; bytes that do
 * not decode become U+FFFD) and as hex. A listener's events name it in {@code listener}, an
 * outbound session's in {@code session}.
 */
record TrafficEventView(long seq, Instant time, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String listener,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String session, @Nullable String connection,
		TrafficType type, int size, @Nullable String text, @Nullable String hex, @Nullable String note) {

	static TrafficEventView of(TrafficSource source, TrafficEvent e) {
		boolean data = e.type() == TrafficType.IN || e.type() == TrafficType.OUT;
		boolean session = "session".equals(source.kind());
		return new TrafficEventView(e.seq(), Instant.ofEpochMilli(e.epochMillis()), session ? null : source.id(),
				session ? source.id() : null, e.connection(), e.type(), e.size(),
				data ? new String(e.payload(), source.charset()) : null, data ? Hex.format(e.payload()) : null,
				e.note());
	}
}
