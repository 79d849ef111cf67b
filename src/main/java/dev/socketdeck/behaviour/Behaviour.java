package dev.socketdeck.behaviour;

/** What a listener does with the frames of each connection or peer. One instance per listener. */
public interface Behaviour {

	/** Called when a TCP connection opens or a UDP peer sends its first datagram. */
	Handler open(Peer peer);

	/**
	 * The listener was registered under its name: a behaviour with shared state named after it
	 * (a chat room) makes that state visible now, not when it was made, since a listener can
	 * be made and then refused (its name taken).
	 */
	default void registered() {
	}

	/** The listener is gone (deleted, or refused after it was made): release what it holds. */
	default void retired() {
	}

	/**
	 * One connection's or peer's side of a behaviour; called by one thread at a time: the I/O
	 * loop that serves many connections (TCP) or the listener's receive loop (UDP). So a handler
	 * must not block: it answers with {@link Peer#send}, which only writes what the socket takes
	 * at once and queues the rest.
	 */
	interface Handler {

		void onFrame(byte[] frame);

		/** The connection closed or the peer was forgotten. */
		default void onClose() {
		}

		/**
		 * The connection closed or the peer was forgotten, and why (the text of its {@code close}
		 * event: "the client closed the connection", a slow client's reason, ...). Calls
		 * {@link #onClose()} unless overridden.
		 */
		default void onClose(String reason) {
			onClose();
		}

		/**
		 * Someone sent {@code payload} to this connection through the API (an operator's reply),
		 * as given, before framing. Called on the connection's thread, like {@link #onFrame}.
		 */
		default void onApiSend(byte[] payload) {
		}
	}
}
