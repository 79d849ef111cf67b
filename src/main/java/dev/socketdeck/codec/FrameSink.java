package dev.socketdeck.codec;

/** Receives what a {@link FrameDecoder} cuts out of the stream. */
public interface FrameSink {

	/** A complete frame (without its delimiter or length prefix). The array is the sink's to keep. */
	void frame(byte[] frame);

	/**
	 * A frame longer than the max frame size was seen and is being discarded; decoding goes on
	 * with the next frame (after the next delimiter, or after the declared length).
	 * @param length the frame's length as far as known (at least max + 1)
	 * @param maxFrameBytes the limit it broke
	 */
	void oversized(long length, int maxFrameBytes);
}
