package dev.socketdeck.web;

import java.nio.charset.Charset;
import java.time.Instant;

import dev.socketdeck.traffic.Hex;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;

/**
 * A traffic event as JSON: the payload both as text (in the listener's charset; bytes that
 * do not decode become U+FFFD) and as hex.
 */
record TrafficEventView(long seq, Instant time, String listener, @Nullable String connection, TrafficType type,
		int size, @Nullable String text, @Nullable String hex, @Nullable String note) {

	static TrafficEventView of(String listener, TrafficEvent e, Charset charset) {
		boolean data = e.type() == TrafficType.IN || e.type() == TrafficType.OUT;
		return new TrafficEventView(e.seq(), Instant.ofEpochMilli(e.epochMillis()), listener, e.connection(), e.type(),
				e.size(), data ? new String(e.payload(), charset) : null, data ? Hex.format(e.payload()) : null,
				e.note());
	}
}
