package dev.socketdeck.chat;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * One thing that happened in a room, as its history keeps it and every participant sees it.
 *
 * @param seq its number in the room, from 1, without gaps
 * @param time when it happened
 * @param room the room
 * @param type a message, a join, a leave, or a notice from the room itself
 * @param nick who said it, joined or left; null for notices
 * @param text what was said; for the others a sentence ("alice joined")
 * @param via how its author takes part: tcp, web or api; null for notices
 * @param members who is in the room after a join or leave; absent otherwise
 */
public record ChatEvent(long seq, Instant time, String room, Type type, @Nullable String nick, String text,
		@Nullable Via via, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable List<Member> members) {

	/** What a chat event is. */
	public enum Type {

		MESSAGE, JOIN, LEAVE, NOTICE;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** How someone takes part. */
	public enum Via {

		/** A raw TCP client of the room's listener. */
		TCP,
		/** A browser on the chat page, present while its STOMP subscription lasts. */
		WEB,
		/** A REST call: says something without being present. */
		API;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT);
		}
	}

	/** Someone present in a room. */
	public record Member(String nick, Via via) {
	}
}
