package dev.socketdeck.client;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * What a one-shot TCP exchange sent and received.
 *
 * @param remoteAddress the peer
 * @param localAddress this side
 * @param sent the bytes written
 * @param received everything that arrived
 * @param ended what ended the wait
 * @param note the failure's message when the connection failed mid-way, else null
 * @param connectMs time to connect
 * @param firstByteMs time from the send to the first byte back, null when nothing came
 * @param totalMs time from the start to the close
 */
public record ExchangeResult(String remoteAddress, String localAddress, Payload sent, Payload received, Ended ended,
		@Nullable String note, double connectMs, @Nullable Double firstByteMs, double totalMs) {

	/** What ended an exchange. */
	public enum Ended {

		/** The peer closed the connection. */
		PEER_CLOSED,
		/** {@code waitMs} passed; SocketDeck closed. */
		WAIT_ELAPSED,
		/** The peer reset the connection, or it failed. */
		RESET;

		@JsonValue
		public String label() {
			return name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
	}
}
