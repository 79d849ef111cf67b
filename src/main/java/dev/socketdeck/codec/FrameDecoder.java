package dev.socketdeck.codec;

import org.jspecify.annotations.Nullable;

/**
 * Cuts one connection's inbound byte stream into frames. Stateful: one instance per
 * connection, used by one thread at a time. Bytes of an incomplete frame are kept until the
 * rest arrives, so frames may be split across reads in any way, down to one byte per read.
 */
public interface FrameDecoder {

	/** Feeds {@code len} bytes from {@code buf[off]}; hands every complete frame to the sink. */
	void decode(byte[] buf, int off, int len, FrameSink sink);

	/**
	 * How many bytes of the current, incomplete frame have arrived, its prefix or opening
	 * delimiter included: the bytes held, or, while an over-long frame is being discarded, the
	 * bytes discarded so far. 0 means the stream is between frames, so a close now is clean;
	 * above 0, a close now is a close inside a frame. Always 0 for raw framing.
	 */
	int pending();

	/**
	 * Takes the incomplete frame held so far, for framings where a partial frame means
	 * something on its own (a line with no line ending yet, after a short idle time or at the
	 * end of the stream); returns null where it does not (raw, length, stx-etx) or when nothing
	 * is held. For line framing, a trailing CR is dropped, and the decoder then stands between
	 * frames, as if the line had ended: an LF that arrives right after such a CR is ignored, and
	 * the discarding of an over-long line stops (returning null). So check {@link #pending()}
	 * before calling this to learn whether the stream stood inside a frame.
	 */
	byte @Nullable [] takePartial();
}
