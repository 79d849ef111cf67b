package dev.socketdeck.client;

/**
 * What one UDP send may collect: at most {@code maxReplies} datagrams and {@code maxBytes}, each
 * datagram charged at least {@link #MIN_CHARGE} bytes, so a flood of empty or one-byte
 * datagrams is stopped by the same cap as a flood of large ones (each reply costs a record and
 * two strings whatever its size).
 */
final class ReplyBudget {

	static final int MIN_CHARGE = 64;

	static final int MAX_REPLIES = 10_000;

	private final long maxBytes;

	private final int maxReplies;

	private long charged;

	private int replies;

	ReplyBudget(long maxBytes, int maxReplies) {
		this.maxBytes = maxBytes;
		this.maxReplies = maxReplies;
	}

	/** Counts one datagram of {@code length} bytes; throws {@code TOO_LARGE} past the cap. */
	void add(int length, String from) {
		this.replies++;
		this.charged += Math.max(length, MIN_CHARGE);
		if (this.replies > this.maxReplies) {
			throw new OutboundException(OutboundException.Kind.TOO_LARGE, "more than " + this.maxReplies
					+ " datagrams came back from " + from + " within the wait; nothing was kept");
		}
		if (this.charged > this.maxBytes) {
			throw new OutboundException(OutboundException.Kind.TOO_LARGE, "the replies from " + from + " come to more than "
					+ this.maxBytes + " bytes (each datagram counts as at least " + MIN_CHARGE
					+ "), the most socketdeck.outbound.max-response-bytes allows; nothing was kept");
		}
	}
}
