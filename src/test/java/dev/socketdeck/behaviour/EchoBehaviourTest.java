package dev.socketdeck.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.Protocol;
import dev.socketdeck.listener.TcpClient;
import dev.socketdeck.listener.TestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EchoBehaviourTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private static byte[] bytes(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			b[i] = (byte) values[i];
		}
		return b;
	}

	@Test
	void sendsRawBytesBackAsTheyCame() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo"));
		byte[] all = new byte[256];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}
		try (TcpClient client = TcpClient.connect(port)) {
			client.send(all);
			assertThat(client.readExactly(all.length)).isEqualTo(all);
			client.send("no newline");
			assertThat(client.readText(10)).isEqualTo("no newline");
		}
	}

	@Test
	void echoesBulkDataInOrder() throws Exception {
		int port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo"));
		byte[] data = new byte[1024 * 1024];
		for (int i = 0; i < data.length; i++) {
			data[i] = (byte) (i * 31 + i / 256);
		}
		try (TcpClient client = TcpClient.connect(port); ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<?> sent = writer.submit(() -> client.send(data));
			assertThat(client.readExactly(data.length)).isEqualTo(data);
			sent.get(5, TimeUnit.SECONDS);
		}
	}

	@Test
	void echoesLinesWithTheListenersLineEnding() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("lines", Protocol.TCP, 0, "echo").withFraming(FramingSpec.of(Framing.LINE)));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("one\ntwo\r\n\nthree\n");
			assertThat(client.readLine()).isEqualTo("one\n");
			assertThat(client.readLine()).isEqualTo("two\n");
			assertThat(client.readLine()).isEqualTo("\n");
			assertThat(client.readLine()).isEqualTo("three\n");
		}
	}

	@Test
	void echoesLengthPrefixedFrames() throws IOException {
		int port = this.engine.create(
				ListenerSpec.of("binary", Protocol.TCP, 0, "echo").withFraming(FramingSpec.parse("length-2")));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send(bytes(0x00, 0x03, 'a', 'b', 'c', 0x00, 0x00));
			assertThat(client.readExactly(7)).isEqualTo(bytes(0x00, 0x03, 'a', 'b', 'c', 0x00, 0x00));
			// a frame split across writes comes back whole
			client.send(bytes(0x00));
			client.send(bytes(0x02, 'x'));
			client.send(bytes('y'));
			assertThat(client.readExactly(4)).isEqualTo(bytes(0x00, 0x02, 'x', 'y'));
		}
		assertThat(this.engine.listener("binary").stats().framesIn()).isEqualTo(3);
	}

	@Test
	void givesEachOfSeveralClientsOnlyItsOwnBytes() throws Exception {
		int port = this.engine.create(
				ListenerSpec.of("lines", Protocol.TCP, 0, "echo").withFraming(FramingSpec.of(Framing.LINE)));
		int clients = 8;
		int lines = 200;
		CountDownLatch connected = new CountDownLatch(clients);
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<List<String>>> results = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				String me = "client-" + c;
				results.add(pool.submit(() -> {
					List<String> got = new ArrayList<>();
					try (TcpClient client = TcpClient.connect(port)) {
						connected.countDown();
						connected.await(5, TimeUnit.SECONDS);
						for (int i = 0; i < lines; i++) {
							client.send(me + " line " + i + "\n");
							got.add(client.readLine());
						}
					}
					return got;
				}));
			}
			for (int c = 0; c < clients; c++) {
				String me = "client-" + c;
				List<String> expected = new ArrayList<>();
				for (int i = 0; i < lines; i++) {
					expected.add(me + " line " + i + "\n");
				}
				assertThat(results.get(c).get(10, TimeUnit.SECONDS)).isEqualTo(expected);
			}
		}
		assertThat(this.engine.listener("lines").stats().connectionsTotal()).isEqualTo(clients);
	}

	@Test
	void echoesADatagramToItsSender() throws IOException {
		int port = this.engine.create(ListenerSpec.of("echo-udp", Protocol.UDP, 0, "echo"));
		try (DatagramSocket socket = new DatagramSocket(0, TestEngine.LOOPBACK)) {
			socket.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			InetSocketAddress listener = new InetSocketAddress(TestEngine.LOOPBACK, port);
			byte[] payload = bytes(0x00, 0xff, '\n', 'h', 'i');
			socket.send(new DatagramPacket(payload, payload.length, listener));
			DatagramPacket reply = new DatagramPacket(new byte[1024], 1024);
			socket.receive(reply);
			assertThat(Arrays.copyOf(reply.getData(), reply.getLength())).isEqualTo(payload);
			assertThat(reply.getSocketAddress()).isEqualTo(listener);
		}
	}
}
