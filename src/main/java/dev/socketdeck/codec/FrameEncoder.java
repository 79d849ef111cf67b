package dev.socketdeck.codec;

/** Puts a payload on the wire as one frame of a framing. Stateless and thread-safe. */
public interface FrameEncoder {

	/**
	 * Returns the bytes to write for one frame holding {@code payload}. May return
	 * {@code payload} itself when the framing adds nothing (raw, or a line that already ends
	 * with LF), so a caller must not change the payload after encoding it.
	 * @throws IllegalArgumentException when the payload cannot be framed (too long for the
	 * length prefix), with a message a person can act on
	 */
	byte[] encode(byte[] payload);
}
