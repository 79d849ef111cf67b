package dev.socketdeck.chat;

/** A chat request that cannot be done, with a message a person can act on and the field at fault. */
public class ChatException extends RuntimeException {

	/** What went wrong. */
	public enum Kind {

		/** A bad nickname or text. */
		INVALID,
		/** The nickname belongs to someone present. */
		TAKEN,
		/** No such room, or no such membership. */
		NOT_FOUND
	}

	private final Kind kind;

	private final String field;

	public ChatException(Kind kind, String field, String message) {
		super(message);
		this.kind = kind;
		this.field = field;
	}

	public Kind kind() {
		return this.kind;
	}

	public String field() {
		return this.field;
	}
}
