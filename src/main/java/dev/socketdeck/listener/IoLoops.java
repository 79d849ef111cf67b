package dev.socketdeck.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The registry's I/O loops, one per core by default, shared by every TCP listener: new
 * connections go to them in turn. They start with the first connection and stop with the
 * registry (and start again if it does).
 */
final class IoLoops {

	private final int count;

	private final AtomicInteger turn = new AtomicInteger();

	private final AtomicInteger generation = new AtomicInteger();

	private @Nullable IoLoop[] loops;

	IoLoops(int count) {
		this.count = Math.max(1, count);
	}

	/** The loop for the next connection. */
	IoLoop next() {
		IoLoop[] l = started();
		return l[Math.floorMod(this.turn.getAndIncrement(), l.length)];
	}

	private synchronized IoLoop[] started() {
		IoLoop[] l = this.loops;
		if (l != null) {
			return l;
		}
		int gen = this.generation.incrementAndGet();
		l = new IoLoop[this.count];
		try {
			for (int i = 0; i < l.length; i++) {
				l[i] = new IoLoop("io-" + gen + "-" + (i + 1));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("could not open a selector", ex);
		}
		for (IoLoop loop : l) {
			loop.start();
		}
		this.loops = l;
		return l;
	}

	/** Stops the loops; call once their connections are closed. Idempotent. */
	void shutdown() {
		IoLoop[] l;
		synchronized (this) {
			l = this.loops;
			this.loops = null;
		}
		if (l != null) {
			for (IoLoop loop : l) {
				loop.shutdown();
			}
		}
	}
}
