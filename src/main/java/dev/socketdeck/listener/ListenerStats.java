package dev.socketdeck.listener;

/**
 * A listener's counters since it was created.
 *
 * @param connections connections open (TCP) or peers remembered (UDP) now
 * @param connectionsTotal connections accepted or peers seen, in all
 * @param bytesIn bytes received
 * @param bytesOut bytes sent
 * @param framesIn frames received
 * @param framesOut frames (writes) sent
 * @param errors errors recorded (over-long frames, failed connections, refused connections)
 * @param slowClientsClosed connections closed because they stopped reading
 * @param trafficEvents traffic events recorded
 * @param trafficDropped traffic events dropped from the log to stay within its budget
 */
public record ListenerStats(int connections, long connectionsTotal, long bytesIn, long bytesOut, long framesIn,
		long framesOut, long errors, long slowClientsClosed, long trafficEvents, long trafficDropped) {
}
