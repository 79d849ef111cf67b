package dev.socketdeck.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A checked outbound target: the host as asked for and the one address the policy allowed, so
 * what is connected to is exactly what was checked (a second DNS answer cannot differ).
 *
 * @param host the host name or address as given
 * @param port the port
 * @param address the resolved address the policy allowed
 */
public record Target(String host, int port, InetAddress address) {

	public InetSocketAddress socketAddress() {
		return new InetSocketAddress(this.address, this.port);
	}

	/** {@code 127.0.0.1:9999}, {@code [::1]:9999}. */
	@Override
	public String toString() {
		return hostPort(socketAddress());
	}

	/** An address as people write it: {@code 127.0.0.1:9000}, {@code [::1]:9000}. */
	static String hostPort(SocketAddress address) {
		if (address instanceof InetSocketAddress isa && isa.getAddress() != null) {
			String host = isa.getAddress().getHostAddress();
			return (host.contains(":") ? "[" + host + "]" : host) + ":" + isa.getPort();
		}
		return String.valueOf(address);
	}
}
