package dev.socketdeck.traffic;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a traffic event records. */
public enum TrafficType {

	/** A connection opened (TCP) or a peer was first seen (UDP); the note holds the remote address. */
	OPEN,
	/** A connection closed or a peer was forgotten; the note holds the reason. */
	CLOSE,
	/** A frame arrived. */
	IN,
	/** Bytes were written to the peer. */
	OUT,
	/** Something went wrong that the user should see; the note says what. */
	ERROR,
	/** The listener itself changed: started, stopped, failed; the note says how. */
	INFO;

	@JsonValue
	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}
}
