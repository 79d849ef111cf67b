package dev.socketdeck.behaviour;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;

import org.jspecify.annotations.Nullable;

/** The far end of a TCP connection or a UDP peer, as a behaviour sees it. Thread-safe. */
public interface Peer {

	/** The connection or peer id, unique within its listener. */
	String id();

	InetSocketAddress remote();

	/** True for a UDP peer: no connection, each datagram stands alone. */
	boolean datagram();

	/** The listener's charset, for text. */
	Charset charset();

	/** Sends one frame, put on the wire by the listener's framing (line framing adds the line ending). */
	void send(byte[] payload);

	/** Sends text as one frame in the listener's charset. */
	default void send(String text) {
		send(text.getBytes(charset()));
	}

	/** Sends bytes exactly as given, without framing. */
	void sendRaw(byte[] bytes);

	/**
	 * Names the far end for people (a nickname it gave); shown with the connection. Null clears it.
	 */
	default void label(@Nullable String label) {
	}

	/**
	 * Closes the connection once what was sent before has been written. For a UDP peer: forgets
	 * it (a later datagram from the same address makes a new peer).
	 */
	void close(String reason);
}
