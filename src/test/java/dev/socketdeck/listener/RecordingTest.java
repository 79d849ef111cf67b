package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Set;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code "record": false}: the counters and the connection's story stay, its frames are not kept. */
class RecordingTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	@Test
	void recordingIsOnUnlessSwitchedOff() {
		assertThat(ListenerSpec.of("x", Protocol.TCP, 0, "echo").record()).isTrue();
	}

	@Test
	void aListenerThatDoesNotRecordKeepsCountersAndConnectionEventsOnly() throws IOException {
		ListenerSpec spec = new ListenerSpec("quiet", Protocol.TCP, null, 0, "echo", null, FramingSpec.of(Framing.LINE),
				null, null, null, false);
		int port = this.engine.create(spec);
		String id;
		try (TcpClient client = TcpClient.connect(port)) {
			id = this.engine.awaitConnection("quiet", client);
			client.send("hello\n");
			assertThat(client.readLine()).isEqualTo("hello\n");
		}
		this.engine.awaitClose("quiet", id);
		assertThat(this.engine.traffic("quiet")).extracting(TrafficEvent::type)
			.contains(TrafficType.OPEN, TrafficType.CLOSE)
			.doesNotContainAnyElementsOf(Set.of(TrafficType.IN, TrafficType.OUT));
		ListenerStats stats = this.engine.listener("quiet").stats();
		assertThat(stats.framesIn()).isEqualTo(1);
		assertThat(stats.framesOut()).isEqualTo(1);
		assertThat(stats.bytesIn()).isEqualTo(6);
		assertThat(stats.bytesOut()).isEqualTo(6);
	}

	@Test
	void aUdpListenerThatDoesNotRecordStillAnswers() throws IOException {
		ListenerSpec spec = new ListenerSpec("quiet-udp", Protocol.UDP, null, 0, "echo", null, null, null, null, null,
				false);
		int port = this.engine.create(spec);
		try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, TestEngine.LOOPBACK)) {
			s.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			byte[] ping = "ping".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
			s.send(new java.net.DatagramPacket(ping, ping.length, TestEngine.LOOPBACK, port));
			java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[64], 64);
			s.receive(reply);
			assertThat(new String(reply.getData(), 0, reply.getLength(), java.nio.charset.StandardCharsets.US_ASCII))
				.startsWith("ping");
		}
		assertThat(this.engine.traffic("quiet-udp")).extracting(TrafficEvent::type)
			.contains(TrafficType.OPEN)
			.doesNotContainAnyElementsOf(Set.of(TrafficType.IN, TrafficType.OUT));
		assertThat(this.engine.listener("quiet-udp").stats().framesOut()).isEqualTo(1);
	}
}
