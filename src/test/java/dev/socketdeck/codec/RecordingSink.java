package dev.socketdeck.codec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link FrameSink} that records what a decoder emits: each frame as an ISO-8859-1 string
 * (one char per byte) and each over-long frame as {@value #OVERSIZED}, its reported length in
 * {@link #oversizedLengths}.
 */
final class RecordingSink implements FrameSink {

	static final String OVERSIZED = "<oversized>";

	final List<String> events = new ArrayList<>();

	final List<Long> oversizedLengths = new ArrayList<>();

	final List<byte[]> frames = new ArrayList<>();

	@Override
	public void frame(byte[] frame) {
		this.frames.add(frame);
		this.events.add(new String(frame, StandardCharsets.ISO_8859_1));
	}

	@Override
	public void oversized(long length, int maxFrameBytes) {
		this.oversizedLengths.add(length);
		this.events.add(OVERSIZED);
	}

	/** Returns the events so far and forgets them. */
	List<String> take() {
		List<String> taken = List.copyOf(this.events);
		this.events.clear();
		return taken;
	}
}
