package dev.socketdeck.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.traffic.Hex;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * One-shot exchanges: a TCP connect-send-collect-close ({@code client.py}), and UDP datagrams
 * with their replies (the tutorials' UDP client, {@code sendto} then {@code recvfrom}).
 */
@Component
public class Exchanges implements DisposableBean {

	static final int DEFAULT_WAIT_MS = 1000;

	/** The largest payload one UDP datagram over IPv4 carries. */
	static final int MAX_DATAGRAM = 65507;

	private final TargetPolicy policy;

	private final OutboundProperties properties;

	/** Closes the socket of an exchange whose peer will not read what it is sent, at its deadline. */
	private final Watchdog watchdog = new Watchdog("exchange-watchdog");

	public Exchanges(TargetPolicy policy, OutboundProperties properties) {
		this.policy = policy;
		this.properties = properties;
	}

	/** Connects, sends, collects until the peer closes or the wait ends, closes. */
	public ExchangeResult tcp(ExchangeSpec spec) {
		Charset charset = Options.charset(spec.charset());
		byte[] out = Options.payload(spec.text(), spec.hex(), charset, this.properties.maxResponseBytes().toBytes());
		Duration wait = Options.wait("waitMs", (spec.waitMs() != null) ? spec.waitMs() : DEFAULT_WAIT_MS,
				this.properties);
		Duration connectTimeout = Options.connectTimeout(spec.connectTimeoutMs(), this.properties);
		long max = this.properties.maxResponseBytes().toBytes();
		Target target = this.policy.check(spec.host(), spec.port(), connectTimeout);
		long start = System.nanoTime();
		Socket socket = Connector.connect(target, connectTimeout);
		double connectMs = Connector.millisSince(start);
		String local = Target.hostPort(socket.getLocalSocketAddress());
		String remote = Target.hostPort(socket.getRemoteSocketAddress());
		ByteArrayOutputStream in = new ByteArrayOutputStream();
		boolean written = false;
		long sentAt = System.nanoTime();
		long deadline = sentAt + wait.toNanos();
		// a little after the reader's own deadline: it is only for a peer that never reads
		Watchdog.Guard guard = this.watchdog.guard(socket, wait.toNanos() + TimeUnit.MILLISECONDS.toNanos(50));
		Double firstByteMs = null;
		ExchangeResult.Ended ended;
		String note = null;
		try (socket) {
			socket.getOutputStream().write(out);
			written = true;
			InputStream input = socket.getInputStream();
			byte[] buf = new byte[16384];
			while (true) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					ended = ExchangeResult.Ended.WAIT_ELAPSED;
					break;
				}
				socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining)));
				int n;
				try {
					n = input.read(buf);
				}
				catch (SocketTimeoutException ex) {
					ended = ExchangeResult.Ended.WAIT_ELAPSED;
					break;
				}
				if (n < 0) {
					ended = ExchangeResult.Ended.PEER_CLOSED;
					break;
				}
				if (firstByteMs == null) {
					firstByteMs = Connector.millisSince(sentAt);
				}
				if (in.size() + n > max) {
					throw tooLarge("the answer from tcp " + target, max);
				}
				in.write(buf, 0, n);
			}
		}
		catch (IOException ex) {
			if (guard.fired() && !written) {
				throw new OutboundException(OutboundException.Kind.TIMEOUT, "tcp " + target + " did not read the "
						+ out.length + " bytes sent within " + wait.toMillis() + " ms (waitMs)");
			}
			if (guard.fired()) {
				// the reader was late to notice its deadline (a busy machine): what came is the answer
				ended = ExchangeResult.Ended.WAIT_ELAPSED;
			}
			else {
				ended = ExchangeResult.Ended.RESET;
				String m = String.valueOf(ex.getMessage());
				note = m.toLowerCase(java.util.Locale.ROOT).contains("reset") ? "the peer reset the connection"
						: "the connection failed: " + m;
			}
		}
		finally {
			guard.cancel();
		}
		return new ExchangeResult(remote, local, Payload.of(out, charset), Payload.of(in.toByteArray(), charset), ended,
				note, connectMs, firstByteMs, Connector.millisSince(start));
	}

	/**
	 * Sends {@code count} datagrams from one socket, {@code intervalMs} apart, and collects every
	 * reply until {@code waitMs} after the last.
	 */
	public UdpResult udp(UdpSpec spec) {
		Charset charset = Options.charset(spec.charset());
		byte[] payload = Options.payload(spec.text(), spec.hex(), charset, this.properties.maxResponseBytes().toBytes());
		if (payload.length > MAX_DATAGRAM) {
			throw Options.invalid(spec.text() != null ? "text" : "hex",
					payload.length + " bytes do not fit in one UDP datagram (at most " + MAX_DATAGRAM + ")");
		}
		Duration wait = Options.wait("waitMs", (spec.waitMs() != null) ? spec.waitMs() : DEFAULT_WAIT_MS,
				this.properties);
		int count = (spec.count() != null) ? spec.count() : 1;
		long interval = (spec.intervalMs() != null) ? spec.intervalMs() : 0;
		if ((count - 1) * interval > this.properties.maxWait().toMillis()) {
			throw Options.invalid("intervalMs", count + " datagrams " + interval + " ms apart take longer than the "
					+ this.properties.maxWait().toMillis() + " ms allowed (socketdeck.outbound.max-wait)");
		}
		long max = this.properties.maxResponseBytes().toBytes();
		Target target = this.policy.check(spec.host(), spec.port(), this.properties.connectTimeout());
		int localPort = (spec.localPort() != null) ? spec.localPort() : 0;
		try (DatagramSocket socket = bind(localPort)) {
			socket.connect(target.socketAddress());
			List<UdpResult.Reply> replies = new ArrayList<>();
			String note = null;
			ReplyBudget budget = new ReplyBudget(max, ReplyBudget.MAX_REPLIES);
			long start = System.nanoTime();
			long nextSend = start;
			long endAt = Long.MAX_VALUE;
			int sent = 0;
			byte[] buf = new byte[65536];
			DatagramPacket packet = new DatagramPacket(buf, buf.length);
			while (true) {
				long now = System.nanoTime();
				if (sent < count && now >= nextSend) {
					try {
						socket.send(new DatagramPacket(payload, payload.length));
					}
					catch (PortUnreachableException ex) {
						note = unreachable(target);
						socket.send(new DatagramPacket(payload, payload.length));
					}
					sent++;
					nextSend += TimeUnit.MILLISECONDS.toNanos(interval);
					if (sent == count) {
						endAt = System.nanoTime() + wait.toNanos();
					}
					continue;
				}
				long wakeAt = (sent < count) ? nextSend : endAt;
				if (now >= wakeAt) {
					break;
				}
				socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wakeAt - now)));
				try {
					packet.setData(buf);
					socket.receive(packet);
				}
				catch (SocketTimeoutException ex) {
					continue;
				}
				catch (PortUnreachableException ex) {
					note = unreachable(target);
					continue;
				}
				budget.add(packet.getLength(), "udp " + target);
				byte[] data = Arrays.copyOf(buf, packet.getLength());
				replies.add(new UdpResult.Reply(Target.hostPort(packet.getSocketAddress()), Instant.now(),
						Connector.millisSince(start), data.length, new String(data, charset),
						Hex.format(data)));
			}
			return new UdpResult(Target.hostPort(socket.getLocalSocketAddress()), target.toString(), sent,
					(long) sent * payload.length, replies, note);
		}
		catch (IOException ex) {
			throw new OutboundException(OutboundException.Kind.RESET,
					"sending to udp " + target + " failed: " + ex.getMessage());
		}
	}

	private static DatagramSocket bind(int localPort) {
		try {
			return new DatagramSocket(new InetSocketAddress(localPort));
		}
		catch (BindException ex) {
			throw new OutboundException(OutboundException.Kind.CONFLICT,
					"localPort: udp port " + localPort + " is already in use here", "localPort");
		}
		catch (IOException ex) {
			throw new OutboundException(OutboundException.Kind.CONFLICT,
					"localPort: cannot open a udp socket on port " + localPort + ": " + ex.getMessage(), "localPort");
		}
	}

	private static String unreachable(Target target) {
		return "nothing is listening on udp " + target + " (it answered ICMP port unreachable)";
	}

	static OutboundException tooLarge(String what, long max) {
		return new OutboundException(OutboundException.Kind.TOO_LARGE, what + " is larger than " + max
				+ " bytes, the most socketdeck.outbound.max-response-bytes allows; nothing was kept");
	}

	@Override
	public void destroy() {
		this.watchdog.shutdown();
	}
}
