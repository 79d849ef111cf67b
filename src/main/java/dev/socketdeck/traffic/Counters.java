package dev.socketdeck.traffic;

import java.util.concurrent.atomic.LongAdder;

/** Byte and frame counters that many threads bump at once without contending. */
public final class Counters {

	private final LongAdder bytesIn = new LongAdder();

	private final LongAdder bytesOut = new LongAdder();

	private final LongAdder framesIn = new LongAdder();

	private final LongAdder framesOut = new LongAdder();

	/** Bytes that arrived but do not make a frame of their own (yet). */
	public void inBytes(int bytes) {
		this.bytesIn.add(bytes);
	}

	public void inFrame() {
		this.framesIn.increment();
	}

	public void out(int bytes) {
		this.bytesOut.add(bytes);
		this.framesOut.increment();
	}

	public Snapshot snapshot() {
		return new Snapshot(this.bytesIn.sum(), this.bytesOut.sum(), this.framesIn.sum(), this.framesOut.sum());
	}

	/** Counter values at one moment. */
	public record Snapshot(long bytesIn, long bytesOut, long framesIn, long framesOut) {
	}
}
