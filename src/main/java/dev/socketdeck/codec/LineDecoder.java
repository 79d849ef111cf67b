package dev.socketdeck.codec;

import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * Line framing: a frame ends at LF; a CR just before the LF is dropped too, so both LF and
 * CR LF endings are understood. The frame excludes the line ending; an empty line is a frame
 * of length 0. A CR anywhere else is part of the line.
 *
 * <pre>
 *   wire (12 bytes)                                  frames
 * +-----------+----+----+----+-------+----+     +---------+  +----+  +-------+
 * | h e l l o | CR | LF | LF | b y e | LF | --> | "hello" |  | "" |  | "bye" |
 * +-----------+----+----+----+-------+----+     +---------+  +----+  +-------+
 * </pre>
 *
 * A line longer than the max frame size (not counting its line ending) is reported to
 * {@link FrameSink#oversized} once, as soon as it is known to be too long, and its bytes are
 * discarded up to and including the next LF; decoding then goes on with the next line.
 *
 * <p>{@link #pending()} is the number of bytes of the current line seen so far: the bytes
 * held (a trailing CR included) or, while an over-long line is being discarded, the bytes
 * discarded so far (so it is above 0 whenever the stream stands inside a line).
 * {@link #takePartial()} ends the current line as if an LF had come: it returns the held bytes
 * (a trailing CR dropped, and an LF that comes right after such a CR ignored), or null when
 * nothing is held; it also ends the discarding of an over-long line.
 */
final class LineDecoder implements FrameDecoder {

	private static final byte CR = '\r';

	private static final byte LF = '\n';

	private final int maxFrameBytes;

	private final FrameBuffer held;

	/** Bytes of an over-long line discarded so far; above 0 only while discarding. */
	private long discarded;

	/** A trailing CR was taken by {@link #takePartial()}; an LF next completes that line ending. */
	private boolean skipLf;

	LineDecoder(int maxFrameBytes) {
		this.maxFrameBytes = FrameBuffer.checkMaxFrameBytes(maxFrameBytes);
		this.held = new FrameBuffer(maxFrameBytes + 1); // the line and a CR that may end it
	}

	@Override
	public void decode(byte[] buf, int off, int len, FrameSink sink) {
		Objects.checkFromIndexSize(off, len, buf.length);
		int end = off + len;
		int p = off;
		if (this.skipLf && len > 0) {
			this.skipLf = false;
			if (buf[p] == LF) {
				p++;
			}
		}
		while (p < end) {
			int lf = p;
			while (lf < end && buf[lf] != LF) {
				lf++;
			}
			if (lf == end) {
				hold(buf, p, end, sink);
				return;
			}
			if (this.discarded > 0) {
				this.discarded = 0;
			}
			else {
				lineEndingAt(buf, p, lf, sink);
			}
			p = lf + 1;
		}
	}

	/** The line that was held, followed by {@code buf[from, lf)}, ends at the LF at {@code lf}. */
	private void lineEndingAt(byte[] buf, int from, int lf, FrameSink sink) {
		int heldLength = this.held.length();
		long lineLength = (long) heldLength + (lf - from);
		boolean cr = (lf > from) ? buf[lf - 1] == CR : heldLength > 0 && this.held.last() == CR;
		if (cr) {
			lineLength--;
		}
		if (lineLength > this.maxFrameBytes) {
			this.held.clear();
			sink.oversized(lineLength, this.maxFrameBytes);
		}
		else if (heldLength == 0) {
			sink.frame(Arrays.copyOfRange(buf, from, from + (int) lineLength));
		}
		else {
			sink.frame(this.held.take((int) lineLength, buf, from));
		}
	}

	/** Keeps {@code buf[from, end)}, which holds no LF, as part of the current line. */
	private void hold(byte[] buf, int from, int end, FrameSink sink) {
		int n = end - from;
		if (this.discarded > 0) {
			this.discarded += n;
			return;
		}
		long seen = (long) this.held.length() + n;
		long lineLength = (buf[end - 1] == CR) ? seen - 1 : seen; // the CR may start a CR LF
		if (lineLength > this.maxFrameBytes) {
			this.held.clear();
			this.discarded = seen;
			sink.oversized(lineLength, this.maxFrameBytes);
		}
		else {
			this.held.append(buf, from, n);
		}
	}

	@Override
	public int pending() {
		return (this.discarded > 0) ? (int) Math.min(this.discarded, Integer.MAX_VALUE) : this.held.length();
	}

	@Override
	public byte @Nullable [] takePartial() {
		if (this.discarded > 0) {
			this.discarded = 0;
			return null;
		}
		int n = this.held.length();
		if (n == 0) {
			return null;
		}
		boolean cr = this.held.last() == CR;
		this.skipLf = cr;
		return this.held.take(cr ? n - 1 : n);
	}
}
