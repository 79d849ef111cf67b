package dev.socketdeck.listener;

import java.io.IOException;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

/** One bound socket server's lifetime: bound by {@link #bind()}, gone after {@link #close()}. */
interface Transport {

	/** Binds and starts receiving; returns the bound port. */
	int bind() throws IOException;

	/**
	 * Stops receiving and closes every connection within a bounded time, giving them
	 * {@code reason}. Idempotent.
	 */
	void close(String reason);

	Collection<? extends Connection> connections();

	@Nullable Connection connection(String id);
}
