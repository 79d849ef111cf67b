package dev.socketdeck.client;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a TCP session is: open, or ended by a close (either side's) or by a failure. */
public enum SessionState {

	OPEN, CLOSED, FAILED;

	@JsonValue
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}
}
