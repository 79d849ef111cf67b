package dev.socketdeck.client;

import org.jspecify.annotations.Nullable;

/**
 * An outbound request that could not be done, with a message a person can act on. The kind
 * says what went wrong; the web layer turns it into a status.
 */
public class OutboundException extends RuntimeException {

	/** What went wrong. */
	public enum Kind {

		/** The request asks for something that cannot work: a bad charset, a wait above the cap. */
		INVALID("Invalid request"),
		/** The target policy refused the target. */
		DENIED("Target not allowed"),
		/** Nothing answered the connect: refused, no route, unreachable. */
		REFUSED("Connection refused"),
		/** The host name does not resolve. */
		UNKNOWN_HOST("Unknown host"),
		/** A connect, handshake or response took longer than allowed. */
		TIMEOUT("Timed out"),
		/** The peer reset the connection or it failed mid-way. */
		RESET("Connection failed"),
		/** The TLS handshake failed: an untrusted certificate, a wrong name, no common cipher. */
		TLS("TLS handshake failed"),
		/** The answer does not parse: not HTTP, a broken chunk, a body cut short. */
		MALFORMED("Malformed response"),
		/** The answer is bigger than the configured cap. */
		TOO_LARGE("Response too large"),
		/** The session is closed, or the peer is not reading what was sent. */
		CLOSED("Session closed"),
		/** The peer does not read: what waits to be written is at its cap. */
		BUSY("Peer not reading"),
		/** A local resource is taken or used up: a local port in use, too many sessions. */
		CONFLICT("Conflict");

		private final String title;

		Kind(String title) {
			this.title = title;
		}

		public String title() {
			return this.title;
		}
	}

	private final Kind kind;

	private final @Nullable String field;

	public OutboundException(Kind kind, String message) {
		this(kind, message, null);
	}

	public OutboundException(Kind kind, String message, @Nullable String field) {
		super(message);
		this.kind = kind;
		this.field = field;
	}

	public Kind kind() {
		return this.kind;
	}

	/** The request field at fault, if one is. */
	public @Nullable String field() {
		return this.field;
	}
}
