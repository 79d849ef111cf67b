package dev.socketdeck.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread with a {@link Selector}: it reads and writes the TCP connections
 * registered with it, runs tasks other threads hand it, and fires its timers (partial-line
 * flushes, idle timeouts, close deadlines). Everything a connection does on its socket happens
 * here, so a connection's reads, decoding and behaviour need no locks of their own. What runs
 * here must not block: behaviours only queue what they send.
 *
 * <p>The read buffer is the loop's, not each connection's: an idle connection costs no buffer.
 */
final class IoLoop implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(IoLoop.class);

	/** Shared by every connection of this loop; a read never keeps it. */
	static final int READ_BUFFER = 64 * 1024;

	/** What a registered channel's attachment does when its key is ready. */
	interface Ready {

		void ready(SelectionKey key);

	}

	private final Selector selector;

	private final Thread thread;

	/** Direct, so a read goes straight into it (a heap buffer is read through a temporary one). */
	private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER);

	/** What was read, as an array for the decoders. */
	private final byte[] readBytes = new byte[READ_BUFFER];

	private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

	/** Set while a wake-up is on its way, so a burst of tasks wakes the selector once. */
	private final AtomicBoolean wakeupPending = new AtomicBoolean();

	/** Used by the loop's thread only. */
	private final PriorityQueue<Timer> timers = new PriorityQueue<>();

	private long timerSeq;

	private volatile boolean running = true;

	IoLoop(String name) throws IOException {
		this.selector = Selector.open();
		this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this);
	}

	void start() {
		this.thread.start();
	}

	boolean inLoop() {
		return Thread.currentThread() == this.thread;
	}

	Selector selector() {
		return this.selector;
	}

	/** The loop's read buffer, cleared; for the loop's thread only. */
	ByteBuffer readBuffer() {
		return this.readBuffer.clear();
	}

	/** The first {@code n} bytes of the read buffer, copied into the loop's array; loop thread only. */
	byte[] readBytes(int n) {
		this.readBuffer.get(0, this.readBytes, 0, n);
		return this.readBytes;
	}

	/** Runs the task on the loop's thread, soon; from any thread. */
	void execute(Runnable task) {
		this.tasks.add(task);
		if (!inLoop() && this.wakeupPending.compareAndSet(false, true)) {
			this.selector.wakeup();
		}
	}

	/** Runs the task on the loop's thread after the delay; from the loop's thread only. */
	void schedule(long delayMillis, Runnable task) {
		this.timers.add(new Timer(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis), this.timerSeq++, task));
	}

	/** Stops the loop; its connections must have been closed already. Idempotent. */
	void shutdown() {
		this.running = false;
		this.selector.wakeup();
		if (!inLoop()) {
			try {
				this.thread.join(2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void run() {
		try {
			while (this.running) {
				select();
				runTasks();
				runTimers();
			}
		}
		catch (Throwable ex) {
			log.error("I/O loop {} died", this.thread.getName(), ex);
		}
		finally {
			try {
				this.selector.close();
			}
			catch (IOException ex) {
				// stopping: nothing left to do
			}
		}
	}

	private void select() throws IOException {
		long timeout = 0;
		Timer next = this.timers.peek();
		if (next != null) {
			timeout = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next.at - System.nanoTime() + 999_999));
		}
		// ready keys go straight to their connection: no selected-key set to fill, iterate and clear
		if (this.tasks.isEmpty()) {
			this.selector.select(this::ready, timeout);
		}
		else {
			this.selector.selectNow(this::ready);
		}
		this.wakeupPending.set(false);
	}

	private void ready(SelectionKey key) {
		try {
			((Ready) key.attachment()).ready(key);
		}
		catch (CancelledKeyException ex) {
			// closed by another thread while it was ready: its clean-up is queued
		}
	}

	private void runTasks() {
		Runnable task;
		while ((task = this.tasks.poll()) != null) {
			run(task);
		}
	}

	private void runTimers() {
		long now = System.nanoTime();
		Timer t;
		while ((t = this.timers.peek()) != null && t.at - now <= 0) {
			this.timers.poll();
			run(t.task);
		}
	}

	private void run(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException ex) {
			log.warn("A task on I/O loop {} failed", this.thread.getName(), ex);
		}
	}

	private record Timer(long at, long seq, Runnable task) implements Comparable<Timer> {

		@Override
		public int compareTo(Timer o) {
			int c = Long.compare(this.at - o.at, 0);
			return (c != 0) ? c : Long.compare(this.seq, o.seq);
		}
	}
}
