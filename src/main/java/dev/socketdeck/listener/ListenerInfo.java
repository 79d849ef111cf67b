package dev.socketdeck.listener;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A listener as it is at one moment.
 *
 * @param spec what it is (framing filled in)
 * @param declared true when it comes from the application's configuration
 * @param state stopped, running or failed
 * @param boundPort the port it is bound to while running, else null
 * @param reason why it stopped or failed, null when there is nothing to say
 * @param since when it entered this state
 * @param stats its counters
 */
public record ListenerInfo(ListenerSpec spec, boolean declared, ListenerState state, @Nullable Integer boundPort,
		@Nullable String reason, Instant since, ListenerStats stats) {

	public String id() {
		return this.spec.name();
	}
}
