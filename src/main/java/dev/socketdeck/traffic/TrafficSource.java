package dev.socketdeck.traffic;

import java.nio.charset.Charset;

/**
 * Something whose traffic people read and watch: a listener, or an outbound TCP session. The
 * history and the live streams read any source the same way.
 */
public interface TrafficSource {

	/** The id in URLs. */
	String id();

	/** What kind of source this is, as the JSON field naming it: {@code listener} or {@code session}. */
	String kind();

	TrafficLog traffic();

	/** How payloads are shown as text. */
	Charset charset();

	/** True once the source is gone for good; its log then holds its last event. */
	boolean deleted();
}
