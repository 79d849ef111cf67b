package dev.socketdeck.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.Protocol;
import dev.socketdeck.listener.TcpClient;
import dev.socketdeck.listener.TestEngine;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GreeterBehaviourTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private int greeter() {
		return this.engine.create(ListenerSpec.of("greeter", Protocol.TCP, 0, "greeter"));
	}

	@Test
	void welcomesGreetsByNameAndClosesOnExit() throws IOException {
		int port = greeter();
		try (TcpClient client = TcpClient.connect(port)) {
			assertThat(client.readLine()).isEqualTo("Welcome!\n");
			client.send("Michael\n");
			assertThat(client.readLine()).isEqualTo("Hello, Michael!\n");
			client.send("Dwight\r\n");
			assertThat(client.readLine()).isEqualTo("Hello, Dwight!\n");
			client.send("exit\n");
			assertThat(client.read()).isEqualTo(-1);
		}
		String connection = this.engine.awaitTraffic("greeter", e -> e.type() == TrafficType.OPEN).connection();
		assertThat(this.engine.awaitClose("greeter", connection)).isEqualTo("client said exit");
	}

	@Test
	void answersTheTutorialClientThatSendsNoNewline() throws IOException {
		int port = greeter();
		try (TcpClient client = TcpClient.connect(port)) {
			assertThat(client.readLine()).isEqualTo("Welcome!\n");
			// s.send(b'Michael'): no line ending; the partial line is taken as a frame after 200 ms
			client.send("Michael");
			assertThat(client.readLine()).isEqualTo("Hello, Michael!\n");
			client.send("Pam");
			assertThat(client.readLine()).isEqualTo("Hello, Pam!\n");
		}
		assertThat(this.engine.traffic("greeter"))
			.filteredOn(e -> e.type() == TrafficType.IN)
			.extracting(e -> new String(e.payload(), StandardCharsets.UTF_8))
			.containsExactly("Michael", "Pam");
	}

	@Test
	void ignoresBlankLines() throws IOException {
		int port = greeter();
		try (TcpClient client = TcpClient.connect(port)) {
			assertThat(client.readLine()).isEqualTo("Welcome!\n");
			client.send("\n   \nMichael\n");
			assertThat(client.readLine()).isEqualTo("Hello, Michael!\n");
		}
	}

	@Test
	void takesItsWordsFromTheOptions() throws IOException {
		int port = this.engine.create(ListenerSpec.of("custom", Protocol.TCP, 0, "greeter")
			.withOptions(Map.of("welcome", "Who goes there?", "greeting", "Ahoy {}, ahoy!", "exit", "bye")));
		try (TcpClient client = TcpClient.connect(port)) {
			assertThat(client.readLine()).isEqualTo("Who goes there?\n");
			client.send("exit\n");
			assertThat(client.readLine()).isEqualTo("Ahoy exit, ahoy!\n");
			client.send("bye\n");
			assertThat(client.read()).isEqualTo(-1);
		}
	}

	@Test
	void anEmptyWelcomeSendsNothingOnConnect() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("quiet", Protocol.TCP, 0, "greeter").withOptions(Map.of("welcome", "")));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("Michael\n");
			assertThat(client.readLine()).isEqualTo("Hello, Michael!\n");
		}
	}

	@Test
	void endsRepliesWithTheListenersLineEnding() throws IOException {
		int port = this.engine.create(ListenerSpec.of("crlf", Protocol.TCP, 0, "greeter")
			.withFraming(new FramingSpec(Framing.LINE, 2, "\r\n", 200)));
		try (TcpClient client = TcpClient.connect(port)) {
			assertThat(client.readLine()).isEqualTo("Welcome!\r\n");
			client.send("Michael\n");
			assertThat(client.readLine()).isEqualTo("Hello, Michael!\r\n");
		}
	}

	@Test
	void answersADatagramFromTheListenersPort() throws IOException {
		int port = this.engine.create(ListenerSpec.of("greeter-udp", Protocol.UDP, 0, "greeter"));
		try (DatagramSocket socket = new DatagramSocket(0, TestEngine.LOOPBACK)) {
			socket.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			InetSocketAddress listener = new InetSocketAddress(TestEngine.LOOPBACK, port);
			byte[] name = "Michael".getBytes(StandardCharsets.UTF_8);
			socket.send(new DatagramPacket(name, name.length, listener));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			socket.receive(reply);
			assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
				.isEqualTo("Hello, Michael!\n");
			assertThat(reply.getSocketAddress()).isEqualTo(listener);

			// a trailing line ending is not part of the name; there is no welcome and no exit over UDP
			byte[] exit = "exit\n".getBytes(StandardCharsets.UTF_8);
			socket.send(new DatagramPacket(exit, exit.length, listener));
			socket.receive(reply);
			assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
				.isEqualTo("Hello, exit!\n");
		}
	}
}
