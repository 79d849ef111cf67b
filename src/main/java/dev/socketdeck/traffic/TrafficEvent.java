package dev.socketdeck.traffic;

import org.jspecify.annotations.Nullable;

/**
 * One thing that happened on a socket.
 *
 * @param seq sequence number in its log, from 1, without gaps
 * @param epochMillis wall-clock time
 * @param connection the connection or peer id, null for listener-wide events
 * @param type what happened
 * @param payload the frame's bytes (empty for events without data); never modified
 * @param note remote address, reason or error message; null when there is none
 */
public record TrafficEvent(long seq, long epochMillis, @Nullable String connection, TrafficType type, byte[] payload,
		@Nullable String note) {

	static final byte[] EMPTY = new byte[0];

	/** Payload size in bytes. */
	public int size() {
		return this.payload.length;
	}
}
