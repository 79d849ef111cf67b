package dev.socketdeck.listener;

/** The request clashes with what exists: a name taken, a port in use, a limit reached. */
public class ListenerConflictException extends RuntimeException {

	public ListenerConflictException(String message) {
		super(message);
	}
}
