package dev.socketdeck.listener;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses as people write them: {@code 127.0.0.1:9000}, {@code [::1]:9000}. */
final class Addresses {

	private Addresses() {
	}

	static String hostPort(InetAddress address, int port) {
		String host = address.getHostAddress();
		return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
	}

	static String hostPort(InetSocketAddress address) {
		return hostPort(address.getAddress(), address.getPort());
	}
}
