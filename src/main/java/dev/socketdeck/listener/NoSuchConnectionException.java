package dev.socketdeck.listener;

/** The listener has no open connection (or remembered peer) with that id. */
public class NoSuchConnectionException extends RuntimeException {

	public NoSuchConnectionException(String listener, String connection) {
		super("listener '" + listener + "' has no open connection '" + connection + "'");
	}
}
