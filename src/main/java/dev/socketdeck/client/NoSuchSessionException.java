package dev.socketdeck.client;

/** No TCP session, or no kept fetch, has the id asked for. */
public class NoSuchSessionException extends RuntimeException {

	public NoSuchSessionException(String message) {
		super(message);
	}
}
