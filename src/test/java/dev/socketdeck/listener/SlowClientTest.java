package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client that stops reading is closed once its outbound queue is full, and stalls nobody. */
class SlowClientTest {

	private static final int QUEUE = 64 * 1024;

	/** Far more than the queue and every socket buffer between us and the client can hold. */
	private static final int MAX_BYTES = 256 * 1024 * 1024;

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private Listener listener;

	private int port;

	@BeforeEach
	void createListener() {
		this.port = this.engine.create(ListenerSpec.of("echo", Protocol.TCP, 0, "echo")
			.withFraming(FramingSpec.of(Framing.LINE))
			.withLimits(new Limits(null, null, null, QUEUE)));
		this.listener = this.engine.listener("echo");
	}

	@Test
	void aClientThatNeverReadsIsClosedWhileOthersKeepTalking() throws IOException {
		try (TcpClient stuck = TcpClient.connect(this.port); TcpClient talker = TcpClient.connect(this.port)) {
			String stuckId = this.engine.awaitConnection("echo", stuck);
			this.engine.awaitConnection("echo", talker);
			byte[] chunk = new byte[8 * 1024];
			java.util.concurrent.atomic.AtomicReference<RuntimeException> refused = new java.util.concurrent.atomic.AtomicReference<>();
			long slowest = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
				long worst = 0;
				for (int sent = 0; sent < MAX_BYTES; sent += chunk.length) {
					long t0 = System.nanoTime();
					try {
						this.listener.send(stuckId, chunk, true);
					}
					catch (NoSuchConnectionException | ListenerConflictException closed) {
						refused.set(closed);
						return worst;
					}
					worst = Math.max(worst, System.nanoTime() - t0);
					if ((sent / chunk.length) % 32 == 0) {
						// the other client is answered promptly all along
						long e0 = System.nanoTime();
						assertEchoes(talker, "still talking at " + sent);
						assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - e0)).as("echo round trip, ms")
							.isLessThan(1000);
					}
				}
				throw new AssertionError("sent " + MAX_BYTES + " bytes and the stuck client is still open");
			});
			assertThat(TimeUnit.NANOSECONDS.toMillis(slowest)).as("slowest send, ms").isLessThan(500);
			// the send that overflowed says what happened to the connection, rather than "no such connection"
			assertThat(refused.get()).isInstanceOf(ListenerConflictException.class)
				.hasMessageContaining("is closing: client is not reading");
			assertThat(this.engine.awaitClose("echo", stuckId)).startsWith("client is not reading: ")
				.endsWith("(limits.outboundQueueBytes)");
			assertEchoes(talker, "after");
			assertThat(this.listener.stats().slowClientsClosed()).isEqualTo(1);
			assertThat(this.listener.connections()).extracting(ConnectionInfo::id).doesNotContain(stuckId);
			assertThatExceptionOfType(NoSuchConnectionException.class)
				.isThrownBy(() -> this.listener.send(stuckId, chunk, true));
		}
	}

	@Test
	void aBroadcastDropsTheStuckClientAndReachesTheOthers() throws IOException {
		try (TcpClient stuck = TcpClient.connect(this.port); TcpClient reader = TcpClient.connect(this.port)) {
			String stuckId = this.engine.awaitConnection("echo", stuck);
			this.engine.awaitConnection("echo", reader);
			byte[] chunk = ("x".repeat(4095) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
			int broadcasts = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
				for (int n = 1; n * chunk.length < MAX_BYTES; n++) {
					Listener.Broadcast b = this.listener.broadcast(chunk, true);
					assertThat(reader.readExactly(chunk.length)).isEqualTo(chunk);
					if (b.connections() == 1) {
						return n;
					}
					assertThat(b.connections()).isEqualTo(2);
				}
				throw new AssertionError("the stuck client is still open");
			});
			assertThat(broadcasts).isGreaterThan(QUEUE / chunk.length);
			assertThat(this.engine.awaitClose("echo", stuckId)).contains("limits.outboundQueueBytes");
			assertThat(this.listener.stats().slowClientsClosed()).isEqualTo(1);
			assertThat(this.listener.broadcast(chunk, true).connections()).isEqualTo(1);
			assertThat(reader.readExactly(chunk.length)).isEqualTo(chunk);
			assertEchoes(reader, "fine");
		}
	}

	@Test
	void aStuckClientIsCountedOnceHoweverManySendToIt() throws Exception {
		int senders = 8;
		int stuckClients = 5;
		byte[] chunk = new byte[4 * 1024];
		for (int round = 0; round < stuckClients; round++) {
			try (TcpClient stuck = TcpClient.connect(this.port);
					ExecutorService pool = Executors.newFixedThreadPool(senders)) {
				String stuckId = this.engine.awaitConnection("echo", stuck);
				CountDownLatch go = new CountDownLatch(1);
				List<Future<?>> done = new ArrayList<>();
				for (int t = 0; t < senders; t++) {
					done.add(pool.submit(() -> {
						go.await();
						for (int sent = 0; sent < MAX_BYTES; sent += chunk.length) {
							try {
								this.listener.send(stuckId, chunk, true);
							}
							catch (NoSuchConnectionException | ListenerConflictException closed) {
								return null;
							}
						}
						throw new AssertionError("the stuck client is still open");
					}));
				}
				go.countDown();
				for (Future<?> f : done) {
					f.get(20, TimeUnit.SECONDS);
				}
				this.engine.awaitClose("echo", stuckId);
			}
			assertThat(this.listener.stats().slowClientsClosed()).isEqualTo(round + 1);
		}
	}

	private static void assertEchoes(TcpClient client, String line) throws IOException {
		client.send(line + "\n");
		assertThat(client.readLine()).isEqualTo(line + "\n");
	}
}
