package dev.socketdeck.codec;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * STX/ETX framing, for serial-style devices: 0x02 (STX), the payload, 0x03 (ETX). The frame
 * is the payload alone; it may hold any byte but ETX (an STX inside a frame is payload).
 * Bytes outside a frame, before its STX, are ignored.
 *
 * <pre>
 *   wire (8 bytes)                                           frames
 * +------+------+----------------+------+------+------+    +-------+  +----+
 * | 0x0A | 0x02 | 0x61 0x62 0x63 | 0x03 | 0x02 | 0x03 | -> | "abc" |  | "" |
 * +------+------+----------------+------+------+------+    +-------+  +----+
 *  ignored  STX      payload        ETX    STX    ETX
 * </pre>
 *
 * A payload longer than the max frame size is reported to {@link FrameSink#oversized} once,
 * as soon as it is known to be too long, and discarded up to and including the next ETX;
 * decoding then goes on with the next STX.
 *
 * <p>{@link #pending()} is the number of bytes of the current frame seen so far, its STX
 * included (also while an over-long payload is being discarded), so it is above 0 from the
 * STX to the ETX; {@link #takePartial()} is always null.
 */
final class StxEtxDecoder implements FrameDecoder {

	static final byte STX = 0x02;

	static final byte ETX = 0x03;

	private final int maxFrameBytes;

	private final FrameBuffer held;

	/** An STX has been seen and its ETX has not. */
	private boolean inFrame;

	/** Payload bytes of an over-long frame discarded so far; above 0 only while discarding. */
	private long discarded;

	StxEtxDecoder(int maxFrameBytes) {
		this.maxFrameBytes = FrameBuffer.checkMaxFrameBytes(maxFrameBytes);
		this.held = new FrameBuffer(maxFrameBytes);
	}

	@Override
	public void decode(byte[] buf, int off, int len, FrameSink sink) {
		Objects.checkFromIndexSize(off, len, buf.length);
		int end = off + len;
		int p = off;
		while (p < end) {
			if (!this.inFrame) {
				while (p < end && buf[p] != STX) {
					p++;
				}
				if (p == end) {
					return;
				}
				this.inFrame = true;
				p++;
				continue;
			}
			int etx = p;
			while (etx < end && buf[etx] != ETX) {
				etx++;
			}
			if (etx == end) {
				hold(buf, p, end, sink);
				return;
			}
			this.inFrame = false;
			if (this.discarded > 0) {
				this.discarded = 0;
			}
			else {
				frameEndingAt(buf, p, etx, sink);
			}
			p = etx + 1;
		}
	}

	/** The payload that was held, followed by {@code buf[from, etx)}, ends at {@code etx}. */
	private void frameEndingAt(byte[] buf, int from, int etx, FrameSink sink) {
		int heldLength = this.held.length();
		long length = (long) heldLength + (etx - from);
		if (length > this.maxFrameBytes) {
			this.held.clear();
			sink.oversized(length, this.maxFrameBytes);
		}
		else if (heldLength == 0) {
			sink.frame(Arrays.copyOfRange(buf, from, etx));
		}
		else {
			sink.frame(this.held.take((int) length, buf, from));
		}
	}

	/** Keeps {@code buf[from, end)}, which holds no ETX, as part of the current payload. */
	private void hold(byte[] buf, int from, int end, FrameSink sink) {
		int n = end - from;
		if (this.discarded > 0) {
			this.discarded += n;
			return;
		}
		long length = (long) this.held.length() + n;
		if (length > this.maxFrameBytes) {
			this.held.clear();
			this.discarded = length;
			sink.oversized(length, this.maxFrameBytes);
		}
		else {
			this.held.append(buf, from, n);
		}
	}

	@Override
	public int pending() {
		if (!this.inFrame) {
			return 0;
		}
		long payload = (this.discarded > 0) ? this.discarded : this.held.length();
		return (int) Math.min(1 + payload, Integer.MAX_VALUE);
	}

	@Override
	public byte @Nullable [] takePartial() {
		return null;
	}
}
