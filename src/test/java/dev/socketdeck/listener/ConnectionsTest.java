package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing, sending to, broadcasting to and kicking connections (TCP) and peers (UDP). */
class ConnectionsTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private static byte[] utf8(String s) {
		return s.getBytes(StandardCharsets.UTF_8);
	}

	private static DatagramSocket udpClient() throws IOException {
		DatagramSocket s = new DatagramSocket(0, TestEngine.LOOPBACK);
		s.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
		return s;
	}

	private static String exchange(DatagramSocket s, int port, String text) throws IOException {
		byte[] out = utf8(text);
		s.send(new DatagramPacket(out, out.length, new InetSocketAddress(TestEngine.LOOPBACK, port)));
		return receive(s);
	}

	private static String receive(DatagramSocket s) throws IOException {
		DatagramPacket in = new DatagramPacket(new byte[2048], 2048);
		s.receive(in);
		return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
	}

	@Test
	void listsOpenConnectionsWithTheirCounters() throws IOException {
		int port = this.engine.create(ListenerSpec.of("lines", Protocol.TCP, 0, "echo")
			.withFraming(FramingSpec.of(Framing.LINE)));
		Listener lines = this.engine.listener("lines");
		try (TcpClient a = TcpClient.connect(port); TcpClient b = TcpClient.connect(port)) {
			a.send("hello\n");
			assertThat(a.readLine()).isEqualTo("hello\n");
			String aId = this.engine.awaitConnection("lines", a);
			String bId = this.engine.awaitConnection("lines", b);
			assertThat(aId).isNotEqualTo(bId);
			ConnectionInfo info = lines.connections().stream().filter(c -> c.id().equals(aId)).findFirst().orElseThrow();
			assertThat(info.remote()).isEqualTo("127.0.0.1:" + a.localPort());
			assertThat(info.bytesIn()).isEqualTo(6);
			assertThat(info.framesIn()).isEqualTo(1);
			assertThat(info.bytesOut()).isEqualTo(6);
			assertThat(info.framesOut()).isEqualTo(1);
			assertThat(info.queuedBytes()).isZero();
			assertThat(lines.stats().connections()).isEqualTo(2);
		}
	}

	@Test
	void sendsToOneConnectionFramedOrRaw() throws IOException {
		int port = this.engine.create(ListenerSpec.of("lines", Protocol.TCP, 0, "echo")
			.withFraming(FramingSpec.of(Framing.LINE)));
		Listener lines = this.engine.listener("lines");
		try (TcpClient a = TcpClient.connect(port); TcpClient b = TcpClient.connect(port)) {
			String aId = this.engine.awaitConnection("lines", a);
			this.engine.awaitConnection("lines", b);
			assertThat(lines.send(aId, utf8("just for a"), false)).isEqualTo(11);
			assertThat(a.readLine()).isEqualTo("just for a\n");
			assertThat(lines.send(aId, utf8("raw\r\n"), true)).isEqualTo(5);
			assertThat(a.readLine()).isEqualTo("raw\r\n");
			assertThat(lines.broadcast(utf8("everyone"), false)).isEqualTo(new Listener.Broadcast(2, 9));
			assertThat(a.readLine()).isEqualTo("everyone\n");
			// b got the broadcast and nothing meant for a
			assertThat(b.readLine()).isEqualTo("everyone\n");
		}
	}

	@Test
	void kickClosesTheConnectionCleanly() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo"));
		Listener echo = this.engine.listener("echo");
		String id;
		try (TcpClient other = TcpClient.connect(port)) {
			try (TcpClient client = TcpClient.connect(port)) {
				id = this.engine.awaitConnection("echo", client);
				this.engine.awaitConnection("echo", other);
				echo.send(id, utf8("bye"), false);
				echo.kick(id);
				// what was queued before the kick still arrives, then the end of the stream
				assertThat(client.readTextToEnd()).isEqualTo("bye");
			}
			assertThat(this.engine.awaitClose("echo", id)).isEqualTo("closed by operator");
			other.send("ok");
			assertThat(other.readText(2)).isEqualTo("ok");
		}
	}

	@Test
	void deletingAListenerTellsItsConnectionsWhy() throws IOException {
		int port = this.engine.create(ListenerSpec.of("doomed", Protocol.TCP, 0, "echo"));
		Listener doomed = this.engine.listener("doomed");
		try (TcpClient client = TcpClient.connect(port)) {
			String id = this.engine.awaitConnection("doomed", client);
			this.engine.registry().delete("doomed");
			assertThat(client.readToEnd()).isEmpty();
			assertThat(doomed.traffic().read(0, 100).events()).anyMatch(e -> e.type() == TrafficType.CLOSE
					&& id.equals(e.connection()) && "listener deleted".equals(e.note()));
		}
	}

	@Test
	void aPayloadTooBigForOneDatagramIsRefusedNotLost() throws IOException {
		int port = this.engine.create(ListenerSpec.of("udp", Protocol.UDP, 0, "echo"));
		Listener udp = this.engine.listener("udp");
		try (DatagramSocket a = udpClient()) {
			exchange(a, port, "hi");
			String aId = idOf(udp, a);
			assertThatExceptionOfType(InvalidSpecException.class)
				.isThrownBy(() -> udp.send(aId, new byte[70_000], false))
				.withMessageContaining("do not fit in one UDP datagram");
			// the peer is still there and reachable
			udp.send(aId, utf8("still here"), false);
			assertThat(receive(a)).isEqualTo("still here");
		}
	}

	@Test
	void theLogShowsEachEchoBeforeTheFrameThatAnswersIt() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo"));
		Listener echo = this.engine.listener("echo");
		try (TcpClient client = TcpClient.connect(port)) {
			for (int i = 0; i < 200; i++) {
				client.send("m" + i);
				assertThat(client.readText(("m" + i).length())).isEqualTo("m" + i);
			}
		}
		List<String> frames = echo.traffic()
			.read(0, 1000)
			.events()
			.stream()
			.filter(e -> e.type() == TrafficType.IN || e.type() == TrafficType.OUT)
			.map(e -> e.type().label() + " " + new String(e.payload(), StandardCharsets.UTF_8))
			.toList();
		List<String> expected = new java.util.ArrayList<>();
		for (int i = 0; i < 200; i++) {
			expected.add("in m" + i);
			expected.add("out m" + i);
		}
		assertThat(frames).containsExactlyElementsOf(expected);
	}

	@Test
	void aStartRacingADeleteCannotBringTheListenerBack() throws IOException {
		int port = this.engine.create(ListenerSpec.of("gone", Protocol.TCP, 0, "echo"));
		Listener gone = this.engine.listener("gone");
		this.engine.registry().delete("gone");
		assertThatExceptionOfType(NoSuchListenerException.class).isThrownBy(gone::start);
		assertThat(gone.state()).isEqualTo(ListenerState.STOPPED);
		try (java.net.ServerSocket again = new java.net.ServerSocket(port, 50, TestEngine.LOOPBACK)) {
			assertThat(again.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void kickingAClientThatStoppedReadingStillEndsIt() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo")
			.withLimits(new Limits(null, null, null, 64 * 1024 * 1024)));
		Listener echo = this.engine.listener("echo");
		try (java.net.Socket stuck = new java.net.Socket()) {
			stuck.setReceiveBufferSize(4096);
			stuck.connect(new InetSocketAddress(TestEngine.LOOPBACK, port), 5000);
			await().atMost(TestEngine.TIMEOUT).until(() -> echo.connections().size() == 1);
			String id = echo.connections().get(0).id();
			// more than the kernel's buffers hold: the writer gets stuck with bytes still queued
			byte[] chunk = new byte[1024 * 1024];
			for (int i = 0; i < 8; i++) {
				echo.send(id, chunk, true);
			}
			await().atMost(TestEngine.TIMEOUT).until(() -> echo.connections().get(0).queuedBytes() > 0);
			long t0 = System.nanoTime();
			echo.kick(id);
			await().atMost(TestEngine.TIMEOUT).until(() -> echo.connections().isEmpty());
			assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
				.isLessThan(TcpConnection.CLOSE_DEADLINE_MS + 1500);
			assertThat(this.engine.awaitClose("echo", id)).isEqualTo("closed by operator");
		}
	}

	@Test
	void stoppingAListenerWithAClientThatStoppedReadingEndsWithinItsDeadline() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo")
			.withLimits(new Limits(null, null, null, 64 * 1024 * 1024)));
		Listener echo = this.engine.listener("echo");
		try (java.net.Socket stuck = new java.net.Socket()) {
			stuck.setReceiveBufferSize(4096);
			stuck.connect(new InetSocketAddress(TestEngine.LOOPBACK, port), 5000);
			await().atMost(TestEngine.TIMEOUT).until(() -> echo.connections().size() == 1);
			String id = echo.connections().get(0).id();
			byte[] chunk = new byte[1024 * 1024];
			for (int i = 0; i < 8; i++) {
				echo.send(id, chunk, true);
			}
			await().atMost(TestEngine.TIMEOUT).until(() -> echo.connections().get(0).queuedBytes() > 0);
			long t0 = System.nanoTime();
			this.engine.registry().stop("echo");
			assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0))
				.isLessThan(TcpTransport.GRACEFUL_CLOSE_MS + 1500);
			assertThat(this.engine.awaitClose("echo", id)).isEqualTo("listener stopped");
			assertThat(echo.connections()).isEmpty();
		}
	}

	@Test
	void anUnknownConnectionIsNamedAsSuch() {
		this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo"));
		Listener echo = this.engine.listener("echo");
		assertThatExceptionOfType(NoSuchConnectionException.class).isThrownBy(() -> echo.kick("c999"));
		assertThatExceptionOfType(NoSuchConnectionException.class)
			.isThrownBy(() -> echo.send("c999", utf8("hi"), false));
		this.engine.registry().stop("echo");
		assertThatExceptionOfType(NoSuchConnectionException.class).isThrownBy(() -> echo.kick("c1"));
		assertThat(echo.broadcast(utf8("anyone?"), false).connections()).isZero();
	}

	@Test
	void udpPeersAreListedSentToAndForgotten() throws IOException {
		int port = this.engine.create(ListenerSpec.of("udp", Protocol.UDP, 0, "echo"));
		Listener udp = this.engine.listener("udp");
		try (DatagramSocket a = udpClient(); DatagramSocket b = udpClient()) {
			assertThat(exchange(a, port, "from a")).isEqualTo("from a");
			assertThat(exchange(b, port, "from b")).isEqualTo("from b");
			List<ConnectionInfo> peers = udp.connections();
			assertThat(peers).extracting(ConnectionInfo::remote)
				.containsExactlyInAnyOrder("127.0.0.1:" + a.getLocalPort(), "127.0.0.1:" + b.getLocalPort());
			String aId = idOf(udp, a);
			String bId = idOf(udp, b);
			// the reply can arrive before the sender has counted it
			await().atMost(TestEngine.TIMEOUT).untilAsserted(() -> assertThat(udp.connections()).allSatisfy(p -> {
				assertThat(p.bytesIn()).isEqualTo(6);
				assertThat(p.framesOut()).isEqualTo(1);
			}));
			assertThat(peers).allSatisfy(p -> {
				assertThat(p.bytesIn()).isEqualTo(6);
			});

			udp.send(aId, utf8("to a"), false);
			udp.send(bId, utf8("to b"), false);
			assertThat(receive(a)).isEqualTo("to a");
			assertThat(receive(b)).isEqualTo("to b");
			assertThat(udp.broadcast(utf8("all"), false).connections()).isEqualTo(2);
			assertThat(receive(a)).isEqualTo("all");
			assertThat(receive(b)).isEqualTo("all");

			udp.kick(aId);
			assertThat(udp.connections()).extracting(ConnectionInfo::id).containsExactly(bId);
			assertThat(this.engine.awaitClose("udp", aId)).isEqualTo("closed by operator");
			assertThatExceptionOfType(NoSuchConnectionException.class).isThrownBy(() -> udp.send(aId, utf8("x"), false));

			// a forgotten peer that sends again is a new peer
			assertThat(exchange(a, port, "again")).isEqualTo("again");
			assertThat(idOf(udp, a)).isNotEqualTo(aId);
			assertThat(udp.stats().connectionsTotal()).isEqualTo(3);
		}
	}

	@Test
	void forgetsTheLeastRecentlyHeardPeerPastTheLimit() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("udp", Protocol.UDP, 0, "echo").withLimits(new Limits(2, null, null, null)));
		Listener udp = this.engine.listener("udp");
		try (DatagramSocket a = udpClient(); DatagramSocket b = udpClient(); DatagramSocket c = udpClient()) {
			exchange(a, port, "a");
			// peers are ordered by the millisecond they were last heard: make a's strictly older
			long heardA = System.currentTimeMillis();
			while (System.currentTimeMillis() <= heardA) {
				Thread.onSpinWait();
			}
			exchange(b, port, "b");
			String aId = idOf(udp, a);
			exchange(c, port, "c");
			assertThat(udp.connections()).extracting(ConnectionInfo::remote)
				.containsExactlyInAnyOrder("127.0.0.1:" + b.getLocalPort(), "127.0.0.1:" + c.getLocalPort());
			assertThat(this.engine.awaitClose("udp", aId)).contains("at most 2 peers");
		}
	}

	@Test
	void forgetsAnIdleUdpPeer() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("udp", Protocol.UDP, 0, "echo").withLimits(new Limits(null, 200L, null, null)));
		Listener udp = this.engine.listener("udp");
		try (DatagramSocket a = udpClient()) {
			exchange(a, port, "hello");
			String aId = idOf(udp, a);
			assertThat(this.engine.awaitClose("udp", aId)).isEqualTo("idle for 0.2 s (limits.idleTimeoutMs)");
			assertThat(udp.connections()).isEmpty();
		}
	}

	@Test
	void anOversizedDatagramIsReportedAndDropped() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("udp", Protocol.UDP, 0, "echo").withLimits(new Limits(null, null, 8, null)));
		try (DatagramSocket a = udpClient()) {
			byte[] big = utf8("0123456789");
			a.send(new DatagramPacket(big, big.length, new InetSocketAddress(TestEngine.LOOPBACK, port)));
			assertThat(this.engine.awaitTraffic("udp", e -> e.type() == TrafficType.ERROR).note())
				.isEqualTo("datagram of 9+ bytes is over the limit of 8 bytes (limits.maxFrameBytes); discarded");
			assertThat(exchange(a, port, "12345678")).isEqualTo("12345678");
		}
	}

	private static String idOf(Listener udp, DatagramSocket s) {
		String remote = "127.0.0.1:" + s.getLocalPort();
		return await().atMost(TestEngine.TIMEOUT)
			.until(() -> udp.connections().stream().filter(c -> c.remote().equals(remote)).findFirst(),
					java.util.Optional::isPresent)
			.orElseThrow()
			.id();
	}
}
