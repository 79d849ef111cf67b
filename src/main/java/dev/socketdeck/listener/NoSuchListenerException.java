package dev.socketdeck.listener;

/** No listener has that id. */
public class NoSuchListenerException extends RuntimeException {

	public NoSuchListenerException(String id) {
		super("no listener named '" + id + "'");
	}
}
