package dev.socketdeck.client;

import java.net.Socket;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a request's socket at its deadline, so a peer that stalls mid-answer or never reads
 * what it is sent cannot hold the request past its wait (a blocking write has no timeout of its
 * own). One scheduler thread per owner; {@link #shutdown} with the owner.
 */
final class Watchdog {

	private final ScheduledExecutorService scheduler;

	Watchdog(String name) {
		this.scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name(name).factory());
	}

	/** Closes {@code socket} in {@code nanos} unless the guard is cancelled first. */
	Guard guard(Socket socket, long nanos) {
		AtomicBoolean fired = new AtomicBoolean();
		ScheduledFuture<?> task = this.scheduler.schedule(() -> {
			fired.set(true);
			Connector.closeQuietly(socket);
		}, Math.max(1, nanos), TimeUnit.NANOSECONDS);
		return new Guard(fired, task);
	}

	void shutdown() {
		this.scheduler.shutdownNow();
	}

	/** One armed deadline. */
	record Guard(AtomicBoolean firedFlag, ScheduledFuture<?> task) {

		/** True once the deadline closed the socket. */
		boolean fired() {
			return this.firedFlag.get();
		}

		void cancel() {
			this.task.cancel(false);
		}
	}
}
