package dev.socketdeck.listener;

import org.jspecify.annotations.Nullable;

/** A TCP connection or a UDP peer, as its listener manages it. */
interface Connection {

	String id();

	ConnectionInfo info();

	/**
	 * Queues bytes to be written exactly as given.
	 * @return false when the connection is closing or closed and took nothing
	 */
	boolean write(byte[] bytes);

	/** Tells the behaviour the API sent {@code payload} (before framing) to this connection. */
	default void sentByApi(byte[] payload) {
	}

	/** Closes once queued bytes are written (forgets the peer for UDP). */
	void close(String reason);

	/** Why it is closing or closed; null while it is open. */
	@Nullable String closeReason();
}
