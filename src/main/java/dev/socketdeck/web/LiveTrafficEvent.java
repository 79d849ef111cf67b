package dev.socketdeck.web;

import java.util.Base64;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;

/**
 * A traffic event as the live topic sends it: lean, because every subscriber gets every byte
 * of it. The payload is base64 (pages show it as text in the listener's charset and as hex),
 * the time is epoch milliseconds, and absent fields are left out. The REST history and SSE
 * keep the full {@link TrafficEventView}.
 *
 * @param seq sequence number in the listener's log
 * @param time epoch milliseconds
 * @param connection the connection or peer id, absent for listener-wide events
 * @param type what happened
 * @param data the payload in base64, for {@code in} and {@code out} events
 * @param note remote address, reason or error message, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record LiveTrafficEvent(long seq, long time, @Nullable String connection, TrafficType type, @Nullable String data,
		@Nullable String note) {

	private static final Base64.Encoder BASE64 = Base64.getEncoder();

	static LiveTrafficEvent of(TrafficEvent e) {
		boolean data = e.type() == TrafficType.IN || e.type() == TrafficType.OUT;
		return new LiveTrafficEvent(e.seq(), e.epochMillis(), e.connection(), e.type(),
				data ? BASE64.encodeToString(e.payload()) : null, e.note());
	}
}
