package dev.socketdeck.listener;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.traffic.TrafficType;
import org.jspecify.annotations.Nullable;

/**
 * A bound {@link DatagramSocket} with one receive loop, the tutorials' {@code recvfrom} /
 * {@code sendto}. Each datagram is a frame (line framing drops a trailing line ending); each
 * sender address is remembered as a peer, so it can be listed, sent to and forgotten like a
 * TCP connection. Past the peer limit the least recently heard peer is forgotten; with an idle
 * timeout, silent peers are forgotten too.
 */
final class UdpTransport implements Transport {

	/** The largest UDP payload over IPv4. */
	static final int MAX_DATAGRAM = 65_507;

	private final Listener listener;

	private final Map<InetSocketAddress, UdpPeer> byAddress = new ConcurrentHashMap<>();

	private final Map<String, UdpPeer> byId = new ConcurrentHashMap<>();

	private volatile @Nullable DatagramSocket socket;

	private volatile boolean closing;

	private @Nullable Thread thread;

	UdpTransport(Listener listener) {
		this.listener = listener;
	}

	@Override
	public int bind() throws IOException {
		DatagramSocket s = new DatagramSocket(null);
		try {
			s.bind(new InetSocketAddress(this.listener.bindAddress(), this.listener.spec().port()));
		}
		catch (IOException ex) {
			s.close();
			throw ex;
		}
		this.socket = s;
		// a platform thread: a blocking receive is then one system call, with no poller in between
		this.thread = Thread.ofPlatform().name("udp-" + this.listener.id()).daemon().start(() -> receiveLoop(s));
		return s.getLocalPort();
	}

	private void receiveLoop(DatagramSocket s) {
		int max = this.listener.spec().limits().maxFrameBytes();
		byte[] buf = new byte[Math.min(MAX_DATAGRAM, max) + 1];
		DatagramPacket packet = new DatagramPacket(buf, buf.length);
		long idleMs = this.listener.spec().limits().idleTimeoutMs();
		try {
			if (idleMs > 0) {
				s.setSoTimeout((int) Math.min(1000, idleMs));
			}
			while (!this.closing) {
				packet.setLength(buf.length);
				try {
					s.receive(packet);
				}
				catch (SocketTimeoutException ex) {
					forgetIdle(idleMs);
					continue;
				}
				InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
				UdpPeer peer = peer(from);
				int len = packet.getLength();
				this.listener.counters().inBytes(len);
				if (len > max) {
					peer.oversized(len, max);
					continue;
				}
				peer.received(frame(buf, len), len);
				if (idleMs > 0) {
					forgetIdle(idleMs);
				}
			}
		}
		catch (IOException ex) {
			if (!this.closing) {
				this.listener.transportFailed(this, "receive failed: " + ex.getMessage());
			}
		}
	}

	private byte[] frame(byte[] buf, int len) {
		int end = len;
		if (this.listener.framing().type() == Framing.LINE && end > 0 && buf[end - 1] == '\n') {
			end--;
			if (end > 0 && buf[end - 1] == '\r') {
				end--;
			}
		}
		return Arrays.copyOf(buf, end);
	}

	private UdpPeer peer(InetSocketAddress from) {
		UdpPeer peer = this.byAddress.get(from);
		if (peer != null) {
			return peer;
		}
		if (this.byAddress.size() >= this.listener.spec().limits().maxConnections()) {
			this.byAddress.values()
				.stream()
				.min(Comparator.comparingLong(UdpPeer::lastActivityMillis))
				.ifPresent(oldest -> oldest.close("forgotten: the listener remembers at most "
						+ this.listener.spec().limits().maxConnections() + " peers (limits.maxConnections)"));
		}
		peer = new UdpPeer(this.listener, this, from);
		this.byAddress.put(from, peer);
		this.byId.put(peer.id(), peer);
		peer.open();
		return peer;
	}

	private void forgetIdle(long idleMs) {
		long now = System.currentTimeMillis();
		for (UdpPeer p : this.byAddress.values()) {
			if (now - p.lastActivityMillis() >= idleMs) {
				p.close("idle for " + (idleMs / 1000.0) + " s (limits.idleTimeoutMs)");
			}
		}
	}

	/** Sends a datagram to a peer; false when the socket is gone. */
	boolean send(InetSocketAddress to, byte[] bytes) {
		DatagramSocket s = this.socket;
		if (s == null || this.closing) {
			return false;
		}
		try {
			s.send(new DatagramPacket(bytes, bytes.length, to));
			return true;
		}
		catch (IOException ex) {
			this.listener.countError();
			this.listener.traffic().append(TrafficType.ERROR, null, null, "sending to " + Addresses.hostPort(to) + " failed: " + ex.getMessage());
			return false;
		}
	}

	/** Called by a peer being forgotten. */
	boolean forget(UdpPeer peer) {
		this.byId.remove(peer.id());
		return this.byAddress.remove(peer.remoteAddress(), peer);
	}

	@Override
	public void close(String reason) {
		this.closing = true;
		DatagramSocket s = this.socket;
		if (s != null) {
			s.close();
		}
		Thread t = this.thread;
		if (t != null && t != Thread.currentThread()) {
			try {
				t.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		for (UdpPeer p : this.byAddress.values()) {
			p.close(reason);
		}
	}

	@Override
	public Collection<UdpPeer> connections() {
		return this.byAddress.values();
	}

	@Override
	public @Nullable Connection connection(String id) {
		return this.byId.get(id);
	}
}
