package dev.socketdeck.listener;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A connection (TCP) or peer (UDP) as it is at one moment.
 *
 * @param id unique within its listener
 * @param remote the far end, {@code host:port}
 * @param openedAt when it connected (first datagram for UDP)
 * @param lastActivityAt when bytes last crossed in either direction
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param framesIn frames received
 * @param framesOut frames sent
 * @param queuedBytes bytes waiting to be sent
 * @param label what the behaviour calls the far end (a nickname it gave), or null
 */
public record ConnectionInfo(String id, String remote, Instant openedAt, Instant lastActivityAt, long bytesIn,
		long bytesOut, long framesIn, long framesOut, long queuedBytes, @Nullable String label) {
}
