package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.BehaviourFactory;
import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A behaviour that throws costs only the connection it threw on. */
class BehaviourFailureTest {

	@TempDir
	Path dataDir;

	private TestEngine engine;

	@BeforeEach
	void startEngine() {
		this.engine = new TestEngine(new Behaviours(List.of(new Fragile())), EngineProperties.defaults(this.dataDir));
		this.engine.start();
	}

	@AfterEach
	void stopEngine() {
		this.engine.stop();
	}

	@Test
	void aThrowingHandlerClosesOnlyItsConnection() throws IOException {
		int port = this.engine.create(ListenerSpec.of("fragile", Protocol.TCP, 0, "fragile"));
		Listener fragile = this.engine.listener("fragile");
		try (TcpClient victim = TcpClient.connect(port); TcpClient bystander = TcpClient.connect(port)) {
			String victimId = this.engine.awaitConnection("fragile", victim);
			bystander.send("hi\n");
			assertThat(bystander.readLine()).isEqualTo("hi\n");

			victim.send("boom\n");
			assertThat(victim.read()).isEqualTo(-1);
			assertThat(this.engine.awaitClose("fragile", victimId)).isEqualTo("behaviour failed: kaboom");
			assertThat(this.engine.traffic("fragile")).anyMatch(e -> e.type() == TrafficType.ERROR
					&& victimId.equals(e.connection()) && String.valueOf(e.note()).contains("kaboom"));

			bystander.send("still there?\n");
			assertThat(bystander.readLine()).isEqualTo("still there?\n");
			try (TcpClient newcomer = TcpClient.connect(port)) {
				newcomer.send("hello\n");
				assertThat(newcomer.readLine()).isEqualTo("hello\n");
			}
		}
		assertThat(fragile.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(fragile.stats().errors()).isEqualTo(1);
	}

	@Test
	void aBehaviourThatCannotOpenClosesTheConnectionNotTheListener() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("broken", Protocol.TCP, 0, "fragile").withOptions(Map.of("open", "fail")));
		for (int i = 0; i < 2; i++) {
			try (TcpClient client = TcpClient.connect(port)) {
				assertThat(client.read()).isEqualTo(-1);
			}
		}
		assertThat(this.engine.listener("broken").state()).isEqualTo(ListenerState.RUNNING);
		this.engine.awaitTraffic("broken", e -> e.type() == TrafficType.CLOSE
				&& "behaviour failed: cannot open".equals(e.note()) && "c2".equals(e.connection()));
	}

	@Test
	void aThrowingHandlerForgetsOnlyItsUdpPeer() throws IOException {
		int port = this.engine.create(ListenerSpec.of("fragile-udp", Protocol.UDP, 0, "fragile"));
		Listener fragile = this.engine.listener("fragile-udp");
		InetSocketAddress to = new InetSocketAddress(TestEngine.LOOPBACK, port);
		try (DatagramSocket victim = new DatagramSocket(0, TestEngine.LOOPBACK);
				DatagramSocket bystander = new DatagramSocket(0, TestEngine.LOOPBACK)) {
			bystander.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			byte[] boom = "boom".getBytes(StandardCharsets.UTF_8);
			victim.send(new DatagramPacket(boom, boom.length, to));
			this.engine.awaitTraffic("fragile-udp", e -> e.type() == TrafficType.CLOSE
					&& "behaviour failed: kaboom".equals(e.note()));
			byte[] hi = "hi".getBytes(StandardCharsets.UTF_8);
			bystander.send(new DatagramPacket(hi, hi.length, to));
			DatagramPacket reply = new DatagramPacket(new byte[16], 16);
			bystander.receive(reply);
			assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo("hi\n");
			assertThat(fragile.connections()).extracting(ConnectionInfo::remote)
				.containsExactly("127.0.0.1:" + bystander.getLocalPort());
		}
		assertThat(fragile.state()).isEqualTo(ListenerState.RUNNING);
	}

	/** Echoes lines, throws on "boom"; with option open=fail it cannot even open. */
	static final class Fragile implements BehaviourFactory {

		@Override
		public String name() {
			return "fragile";
		}

		@Override
		public String description() {
			return "echoes lines and throws on boom";
		}

		@Override
		public boolean supportsTcp() {
			return true;
		}

		@Override
		public boolean supportsUdp() {
			return true;
		}

		@Override
		public FramingSpec defaultFraming() {
			return FramingSpec.of(Framing.LINE);
		}

		@Override
		public Map<String, String> defaultOptions() {
			return Map.of("open", "ok");
		}

		@Override
		public Behaviour create(Map<String, String> options) {
			checkKnown(options);
			boolean failOnOpen = "fail".equals(options.get("open"));
			return peer -> {
				if (failOnOpen) {
					throw new IllegalStateException("cannot open");
				}
				return frame -> {
					if (new String(frame, StandardCharsets.UTF_8).equals("boom")) {
						throw new IllegalStateException("kaboom");
					}
					peer.send(frame);
				};
			};
		}
	}
}
