package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectionLimitsTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private static ListenerSpec lines(String name, Limits limits) {
		return ListenerSpec.of(name, Protocol.TCP, 0, "echo").withFraming(FramingSpec.of(Framing.LINE)).withLimits(limits);
	}

	private static void assertEchoes(TcpClient client, String line) throws IOException {
		client.send(line + "\n");
		assertThat(client.readLine()).isEqualTo(line + "\n");
	}

	@Test
	void refusesAConnectionPastTheLimitAndAcceptsAgainOnceOneCloses() throws IOException {
		int port = this.engine.create(lines("two", new Limits(2, null, null, null)));
		Listener two = this.engine.listener("two");
		try (TcpClient a = TcpClient.connect(port); TcpClient b = TcpClient.connect(port)) {
			assertEchoes(a, "a");
			assertEchoes(b, "b");
			try (TcpClient c = TcpClient.connect(port)) {
				assertThat(c.read()).as("the third is closed at once").isEqualTo(-1);
			}
			TrafficEvent refused = this.engine.awaitTraffic("two", e -> e.type() == TrafficType.ERROR);
			assertThat(refused.note()).startsWith("refused 127.0.0.1:")
				.endsWith("the listener already has its maximum of 2 connections (limits.maxConnections)");
			assertThat(two.stats().errors()).isEqualTo(1);
			assertEchoes(a, "a still works");

			String aId = this.engine.awaitConnection("two", a);
			a.close();
			assertThat(this.engine.awaitClose("two", aId)).isEqualTo("peer closed");
			await().atMost(TestEngine.TIMEOUT).until(() -> two.connections().size() == 1);
			try (TcpClient d = TcpClient.connect(port)) {
				assertEchoes(d, "d");
				assertEchoes(b, "b still works");
			}
		}
		assertThat(this.engine.traffic("two")).filteredOn(e -> e.type() == TrafficType.ERROR).hasSize(1);
	}

	@Test
	void reportsAnOversizedLineAndGoesOnWithTheNext() throws IOException {
		int port = this.engine.create(lines("short", new Limits(null, null, 16, null)));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("x".repeat(40) + "\nhello\n");
			assertThat(client.readLine()).isEqualTo("hello\n");
			TrafficEvent error = this.engine.awaitTraffic("short", e -> e.type() == TrafficType.ERROR);
			assertThat(error.note()).contains("over the limit of 16 bytes (limits.maxFrameBytes)");
			assertThat(error.connection()).isNotNull();
			assertEchoes(client, "x".repeat(16));
			client.send("y".repeat(17) + "\n");
			assertEchoes(client, "still here");
		}
		assertThat(this.engine.traffic("short")).filteredOn(e -> e.type() == TrafficType.ERROR).hasSize(2);
		assertThat(this.engine.listener("short").stats().errors()).isEqualTo(2);
	}

	@Test
	void tellsACloseInsideAFrameFromACleanOne() throws IOException {
		int port = this.engine.create(ListenerSpec.of("binary", Protocol.TCP, 0, "echo")
			.withFraming(FramingSpec.parse("length-2")));
		String inside;
		try (TcpClient client = TcpClient.connect(port)) {
			inside = this.engine.awaitConnection("binary", client);
			client.send(new byte[] { 0x00, 0x0a, 'a', 'b', 'c' });
			client.shutdownOutput();
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(this.engine.awaitClose("binary", inside))
			.isEqualTo("peer closed inside a frame (5 bytes of it discarded)");

		String clean;
		try (TcpClient client = TcpClient.connect(port)) {
			clean = this.engine.awaitConnection("binary", client);
			client.send(new byte[] { 0x00, 0x01, 'z' });
			assertThat(client.readExactly(3)).containsExactly(0x00, 0x01, 'z');
			client.shutdownOutput();
			assertThat(client.readToEnd()).isEmpty();
		}
		assertThat(this.engine.awaitClose("binary", clean)).isEqualTo("peer closed");
	}

	@Test
	void aLineWithoutAnEndingIsStillAFrameWhenThePeerCloses() throws IOException {
		int port = this.engine.create(lines("lines", Limits.DEFAULTS));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("last words");
			client.shutdownOutput();
			assertThat(client.readTextToEnd()).isEqualTo("last words\n");
		}
	}

	@Test
	void closesAnIdleConnection() throws IOException {
		int port = this.engine.create(lines("sleepy", new Limits(null, 300L, null, null)));
		long t0 = System.nanoTime();
		String id;
		try (TcpClient client = TcpClient.connect(port)) {
			id = this.engine.awaitConnection("sleepy", client);
			// the server ends the stream; the read times out (and fails) after 5 s if it does not
			assertThat(client.readToEnd()).isEmpty();
			long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
			assertThat(waited).isBetween(250L, 3000L);
		}
		assertThat(this.engine.awaitClose("sleepy", id)).isEqualTo("idle for 0.3 s (limits.idleTimeoutMs)");
	}

	@Test
	void trafficKeepsAnIdleConnectionOpen() throws IOException {
		int port = this.engine.create(lines("sleepy", new Limits(null, 300L, null, null)));
		try (TcpClient client = TcpClient.connect(port)) {
			long t0 = System.nanoTime();
			int n = 0;
			// talk without pause for twice the idle time: never closed
			while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(600)) {
				assertEchoes(client, "ping " + n++);
			}
			assertThat(client.readToEnd()).isEmpty();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(850);
		}
	}
}
