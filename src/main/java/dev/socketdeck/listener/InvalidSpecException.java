package dev.socketdeck.listener;

/** A listener spec (or a value sent to a listener) that cannot work, naming the field at fault. */
public class InvalidSpecException extends RuntimeException {

	private final String field;

	public InvalidSpecException(String field, String message) {
		super(field + ": " + message);
		this.field = field;
	}

	public String field() {
		return this.field;
	}
}
