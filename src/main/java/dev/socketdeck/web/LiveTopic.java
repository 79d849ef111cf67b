package dev.socketdeck.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A live STOMP topic: every listener's state, or one listener's traffic or stats.
 *
 * @param kind which topic
 * @param listener the listener's id; null for {@link Kind#LISTENERS}
 */
record LiveTopic(Kind kind, @Nullable String listener) {

	static final String LISTENERS_DESTINATION = "/topic/listeners";

	static final LiveTopic LISTENERS = new LiveTopic(Kind.LISTENERS, null);

	private static final Pattern PER_LISTENER = Pattern.compile("/topic/listeners/([^/]+)/(traffic|stats)");

	enum Kind {

		/** {@code /topic/listeners}: created, started, stopped, failed, deleted. */
		LISTENERS,
		/** {@code /topic/listeners/{id}/traffic}: batches of traffic events. */
		TRAFFIC,
		/** {@code /topic/listeners/{id}/stats}: counters and rates, once a second. */
		STATS
	}

	static LiveTopic traffic(String listener) {
		return new LiveTopic(Kind.TRAFFIC, listener);
	}

	static LiveTopic stats(String listener) {
		return new LiveTopic(Kind.STATS, listener);
	}

	/** The topic at this destination, or null when it is none of ours. */
	static @Nullable LiveTopic parse(@Nullable String destination) {
		if (destination == null) {
			return null;
		}
		if (destination.equals(LISTENERS_DESTINATION)) {
			return LISTENERS;
		}
		Matcher m = PER_LISTENER.matcher(destination);
		if (!m.matches()) {
			return null;
		}
		return m.group(2).equals("traffic") ? traffic(m.group(1)) : stats(m.group(1));
	}

	String destination() {
		return switch (this.kind) {
			case LISTENERS -> LISTENERS_DESTINATION;
			case TRAFFIC -> LISTENERS_DESTINATION + "/" + this.listener + "/traffic";
			case STATS -> LISTENERS_DESTINATION + "/" + this.listener + "/stats";
		};
	}
}
