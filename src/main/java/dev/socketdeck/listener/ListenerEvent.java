package dev.socketdeck.listener;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A change in a listener's life, published as an application event for whoever shows it.
 *
 * @param kind what happened
 * @param listener the listener afterwards (as it was just before, for DELETED)
 */
public record ListenerEvent(Kind kind, ListenerInfo listener) {

	public enum Kind {

		CREATED, STARTED, STOPPED, FAILED, DELETED;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}
}
