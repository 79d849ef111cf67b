package dev.socketdeck.client;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A TCP session as the API shows it.
 *
 * @param id the id in URLs: s1, s2, ...
 * @param host the host as asked for
 * @param port the port
 * @param framing the framing's label
 * @param charset the charset's name
 * @param state open, closed or failed
 * @param localAddress this side's address
 * @param remoteAddress the peer's address
 * @param openedAt when the connect succeeded
 * @param closedAt when it ended, null while open
 * @param reason why it ended, null while open
 * @param bytesIn bytes received
 * @param bytesOut bytes written
 * @param framesIn frames received
 * @param framesOut sends written
 * @param queuedBytes bytes waiting to be written (the peer is slow to read)
 */
public record SessionInfo(String id, String host, int port, String framing, String charset, SessionState state,
		String localAddress, String remoteAddress, Instant openedAt, @Nullable Instant closedAt,
		@Nullable String reason, long bytesIn, long bytesOut, long framesIn, long framesOut, long queuedBytes) {
}
