package dev.socketdeck.web;

import java.time.Instant;

import dev.socketdeck.listener.ListenerStats;

/**
 * A listener's counters on {@code /topic/listeners/{id}/stats}, once a second: rates over the
 * time since the previous message, then the totals since the listener was created.
 *
 * @param listener the listener's id
 * @param time when the counters were read
 * @param connections connections open (TCP) or peers remembered (UDP)
 * @param bytesInPerSec bytes received per second
 * @param bytesOutPerSec bytes sent per second
 * @param framesInPerSec frames received per second
 * @param framesOutPerSec frames sent per second
 * @param connectionsTotal connections accepted or peers seen, in all
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param framesIn frames received
 * @param framesOut frames sent
 * @param errors errors recorded
 * @param slowClientsClosed connections closed because they stopped reading
 * @param trafficEvents traffic events recorded
 * @param trafficDropped traffic events dropped from the log
 */
record StatsMessage(String listener, Instant time, int connections, long bytesInPerSec, long bytesOutPerSec,
		long framesInPerSec, long framesOutPerSec, long connectionsTotal, long bytesIn, long bytesOut, long framesIn,
		long framesOut, long errors, long slowClientsClosed, long trafficEvents, long trafficDropped) {

	static StatsMessage of(String listener, Instant time, ListenerStats now, ListenerStats before, long elapsedNanos) {
		return new StatsMessage(listener, time, now.connections(), rate(now.bytesIn(), before.bytesIn(), elapsedNanos),
				rate(now.bytesOut(), before.bytesOut(), elapsedNanos),
				rate(now.framesIn(), before.framesIn(), elapsedNanos),
				rate(now.framesOut(), before.framesOut(), elapsedNanos), now.connectionsTotal(), now.bytesIn(),
				now.bytesOut(), now.framesIn(), now.framesOut(), now.errors(), now.slowClientsClosed(),
				now.trafficEvents(), now.trafficDropped());
	}

	/** Per second, rounded. */
	private static long rate(long now, long before, long elapsedNanos) {
		if (elapsedNanos <= 0 || now <= before) {
			return 0;
		}
		return Math.round((now - before) * 1e9 / elapsedNanos);
	}
}
