package dev.socketdeck.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The session registry against a real loopback server: its cap, and what a failed connect leaves. */
class SessionRegistryTest {

	private final ServerSocket server = bind();

	private final ConcurrentLinkedQueue<Socket> peers = new ConcurrentLinkedQueue<>();

	private SessionRegistry registry;

	private static ServerSocket bind() {
		try {
			ServerSocket s = new ServerSocket();
			s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
			return s;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	SessionRegistryTest() {
		Thread.ofVirtual().start(() -> {
			while (!this.server.isClosed()) {
				try {
					this.peers.add(this.server.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		});
	}

	@AfterEach
	void close() throws IOException {
		if (this.registry != null) {
			this.registry.destroy();
		}
		this.server.close();
		for (Socket s : this.peers) {
			s.close();
		}
	}

	private static OutboundProperties props(int maxSessions, long maxQueued) {
		OutboundProperties d = OutboundProperties.defaults();
		return new OutboundProperties(List.of(), List.of(), Duration.ofSeconds(2), d.maxWait(),
				DataSize.ofBytes(maxQueued), maxSessions, d.sessionTraffic());
	}

	private SessionSpec spec(int port) {
		return new SessionSpec("127.0.0.1", port, null, null, null);
	}

	private static int freePort() {
		try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void aFailedConnectDoesNotCostAnEndedSessionItsPlace() throws IOException {
		this.registry = new SessionRegistry(TargetPolicy.open(), props(1, 1 << 20));
		TcpSession first = this.registry.open(spec(this.server.getLocalPort()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.peers.size() == 1);
		this.peers.poll().close();
		await().atMost(Duration.ofSeconds(10)).until(() -> first.state() == SessionState.CLOSED);

		assertThatThrownBy(() -> this.registry.open(spec(freePort()))).isInstanceOfSatisfying(OutboundException.class,
				ex -> assertThat(ex.kind()).isEqualTo(OutboundException.Kind.REFUSED));
		assertThat(this.registry.list()).extracting(TcpSession::id).containsExactly(first.id());

		TcpSession second = this.registry.open(spec(this.server.getLocalPort()));
		assertThat(this.registry.list()).extracting(TcpSession::id).containsExactly(second.id());
		assertThat(first.deleted()).isTrue();
	}

	@Test
	void manyOpeningAtOnceNeverGetPastTheCap() throws Exception {
		this.registry = new SessionRegistry(TargetPolicy.open(), props(3, 1 << 20));
		int tries = 40;
		CountDownLatch go = new CountDownLatch(1);
		AtomicInteger opened = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < tries; i++) {
			threads.add(Thread.ofVirtual().start(() -> {
				try {
					go.await();
					this.registry.open(spec(this.server.getLocalPort()));
					opened.incrementAndGet();
				}
				catch (OutboundException ex) {
					if (ex.kind() == OutboundException.Kind.CONFLICT) {
						refused.incrementAndGet();
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}));
		}
		go.countDown();
		for (Thread t : threads) {
			assertThat(t.join(Duration.ofSeconds(10))).isTrue();
		}
		assertThat(opened.get()).isEqualTo(3);
		assertThat(refused.get()).isEqualTo(tries - 3);
		assertThat(this.registry.list()).hasSize(3);
	}

	@Test
	void deletingEndsBothThreadsAndASendPastTheQueueCapIsRefused() throws Exception {
		this.registry = new SessionRegistry(TargetPolicy.open(), props(4, 16));
		TcpSession s = this.registry.open(spec(this.server.getLocalPort()));
		assertThatThrownBy(() -> s.send(new byte[17], true)).isInstanceOfSatisfying(OutboundException.class, ex -> {
			assertThat(ex.kind()).isEqualTo(OutboundException.Kind.INVALID);
			assertThat(ex).hasMessageContaining("a send of 17 bytes is more than the 16 a session queues");
		});
		assertThat(s.send(new byte[16], true)).isEqualTo(16);
		this.registry.delete(s.id());
		assertThat(s.threadsEnded()).isTrue();
		assertThat(s.deleted()).isTrue();
		assertThatThrownBy(() -> s.send(new byte[1], true)).isInstanceOfSatisfying(OutboundException.class,
				ex -> assertThat(ex.kind()).isEqualTo(OutboundException.Kind.CLOSED));
	}
}
