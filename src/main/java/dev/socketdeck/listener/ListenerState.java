package dev.socketdeck.listener;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a listener is in its life. */
public enum ListenerState {

	/** Not bound; start() binds it. */
	STOPPED,
	/** Bound and accepting. */
	RUNNING,
	/** Its last start failed (port in use, say) or its accept loop died; the reason says why. */
	FAILED;

	@JsonValue
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}
}
