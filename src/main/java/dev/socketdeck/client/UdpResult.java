package dev.socketdeck.client;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a UDP send did.
 *
 * @param localAddress the socket the datagrams left from
 * @param remoteAddress where they went
 * @param sent datagrams sent
 * @param sentBytes their bytes, in all
 * @param replies every datagram that came back within the wait, in order of arrival
 * @param note why fewer replies may have come: the peer's ICMP "port unreachable", for one
 */
public record UdpResult(String localAddress, String remoteAddress, int sent, long sentBytes, List<Reply> replies,
		@Nullable String note) {

	/**
	 * One datagram received.
	 * @param from its sender
	 * @param time when it arrived
	 * @param afterMs milliseconds since the first send
	 * @param size its bytes
	 * @param text as text
	 * @param hex as hex
	 */
	public record Reply(String from, Instant time, double afterMs, int size, String text, String hex) {
	}
}
