package dev.socketdeck.listener;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Transport protocol of a listener. */
public enum Protocol {

	TCP, UDP;

	@JsonValue
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	@JsonCreator
	public static Protocol fromLabel(String label) {
		return switch (label.strip().toLowerCase(Locale.ROOT)) {
			case "tcp" -> TCP;
			case "udp" -> UDP;
			default -> throw new IllegalArgumentException("must be tcp or udp, not '" + label + "'");
		};
	}
}
