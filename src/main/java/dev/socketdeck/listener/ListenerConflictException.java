package dev.socketdeck.listener;

import org.jspecify.annotations.Nullable;

/** The request clashes with what exists: a name taken, a port in use, a limit reached. */
public class ListenerConflictException extends RuntimeException {

	private final @Nullable String field;

	public ListenerConflictException(String message) {
		this(null, message);
	}

	/** A clash caused by one field of the request (a port in use: {@code port}; a name taken: {@code name}). */
	public ListenerConflictException(@Nullable String field, String message) {
		super(message);
		this.field = field;
	}

	/** The field of the request at the root of the clash, if one is. */
	public @Nullable String field() {
		return this.field;
	}
}
