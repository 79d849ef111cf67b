package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ListenerLifecycleTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private final ListenerRegistry registry = this.engine.registry();

	private static ListenerSpec echo(String name, int port) {
		return ListenerSpec.of(name, Protocol.TCP, port, "echo").withFraming(FramingSpec.of(Framing.LINE));
	}

	private static void assertEchoes(int port) throws IOException {
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("ping\n");
			assertThat(client.readLine()).isEqualTo("ping\n");
		}
	}

	private static void assertPortIsFree(int port) throws IOException {
		try (ServerSocket s = new ServerSocket()) {
			s.bind(new InetSocketAddress(TestEngine.LOOPBACK, port));
			assertThat(s.getLocalPort()).isEqualTo(port);
		}
	}

	@Test
	void theIoThreadsStopWithTheEngineAndComeBackWithIt() throws IOException {
		java.util.Set<Thread> others = ioThreads();
		int port = this.engine.create(echo("echo", 0));
		assertEchoes(port);
		assertThat(ioThreads()).as("this engine's I/O threads").isNotEqualTo(others);

		this.engine.stop();
		assertThat(ioThreads()).as("I/O threads once stopped").isEqualTo(others);

		this.engine.start();
		assertEchoes(this.engine.port("echo"));
	}

	private static java.util.Set<Thread> ioThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith("io-") && t.isAlive())
			.collect(java.util.stream.Collectors.toSet());
	}

	@Test
	void aStoppedUdpListenerFreesItsPortAtOnceAndAnswersWhenStartedAgain() throws IOException {
		int port = this.engine.create(ListenerSpec.of("udp", Protocol.UDP, 0, "echo"));
		assertUdpEchoes(port);
		this.registry.stop("udp");
		try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress(TestEngine.LOOPBACK, port))) {
			assertThat(s.getLocalPort()).isEqualTo(port);
		}
		this.registry.start("udp");
		assertUdpEchoes(this.engine.port("udp"));
	}

	private static void assertUdpEchoes(int port) throws IOException {
		try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, TestEngine.LOOPBACK)) {
			s.setSoTimeout((int) TestEngine.TIMEOUT.toMillis());
			byte[] ping = { 'p', 'i', 'n', 'g' };
			s.send(new java.net.DatagramPacket(ping, ping.length, TestEngine.LOOPBACK, port));
			java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[16], 16);
			s.receive(reply);
			assertThat(reply.getLength()).isEqualTo(4);
		}
	}

	@Test
	void startAndStopAreIdempotent() throws IOException {
		int port = this.engine.create(echo("echo", 0));
		ListenerInfo again = this.registry.start("echo");
		assertThat(again.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(again.boundPort()).isEqualTo(port);
		assertEchoes(port);

		assertThat(this.registry.stop("echo").state()).isEqualTo(ListenerState.STOPPED);
		ListenerInfo stoppedTwice = this.registry.stop("echo");
		assertThat(stoppedTwice.state()).isEqualTo(ListenerState.STOPPED);
		assertThat(stoppedTwice.boundPort()).isNull();
		assertThat(this.registry.get("echo").connections()).isEmpty();

		int restarted = this.registry.start("echo").boundPort();
		assertEchoes(restarted);
		this.registry.stop("echo");

		assertThat(this.engine.eventKinds("echo")).containsExactly(ListenerEvent.Kind.CREATED,
				ListenerEvent.Kind.STARTED, ListenerEvent.Kind.STOPPED, ListenerEvent.Kind.STARTED,
				ListenerEvent.Kind.STOPPED);
	}

	@Test
	void stopReleasesThePortAndARestartGetsTheSamePortBack() throws Exception {
		int port = TestEngine.freePort();
		assertThat(this.engine.create(echo("fixed", port))).isEqualTo(port);
		// a connection the server closes first leaves the port in TIME_WAIT
		try (TcpClient client = TcpClient.connect(port);
				ExecutorService stopper = Executors.newVirtualThreadPerTaskExecutor()) {
			client.send("hi\n");
			assertThat(client.readLine()).isEqualTo("hi\n");
			Future<ListenerInfo> stopped = stopper.submit(() -> this.registry.stop("fixed"));
			assertThat(client.read()).isEqualTo(-1);
			client.close();
			assertThat(stopped.get(5, TimeUnit.SECONDS).state()).isEqualTo(ListenerState.STOPPED);
		}
		assertPortIsFree(port);
		for (int i = 0; i < 3; i++) {
			assertThat(this.registry.start("fixed").boundPort()).isEqualTo(port);
			assertEchoes(port);
			this.registry.stop("fixed");
			assertPortIsFree(port);
		}
	}

	@Test
	void concurrentStartsAndStopsEndInAConsistentState() throws Exception {
		int port = TestEngine.freePort();
		this.engine.create(echo("busy", port));
		int threads = 8;
		int rounds = 40;
		CountDownLatch go = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Random random = new Random(t);
				done.add(pool.submit(() -> {
					go.await();
					for (int i = 0; i < rounds; i++) {
						ListenerInfo info = random.nextBoolean() ? this.registry.start("busy") : this.registry.stop("busy");
						assertThat(info.state()).isIn(ListenerState.RUNNING, ListenerState.STOPPED);
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> f : done) {
				f.get(30, TimeUnit.SECONDS); // rethrows what failed in a thread
			}
		}
		Listener busy = this.registry.get("busy");
		ListenerState state = busy.state();
		assertThat(state).isIn(ListenerState.RUNNING, ListenerState.STOPPED);
		// whoever follows the events sees the state the listener is really in
		List<ListenerEvent> lifecycle = this.engine.events()
			.stream()
			.filter(e -> e.kind() == ListenerEvent.Kind.STARTED || e.kind() == ListenerEvent.Kind.STOPPED)
			.toList();
		ListenerEvent last = lifecycle.getLast();
		assertThat(last.listener().state()).isEqualTo(state);
		assertThat(last.kind()).isEqualTo(
				(state == ListenerState.RUNNING) ? ListenerEvent.Kind.STARTED : ListenerEvent.Kind.STOPPED);
		for (int i = 1; i < lifecycle.size(); i++) {
			assertThat(lifecycle.get(i).kind()).as("event %d alternates", i).isNotEqualTo(lifecycle.get(i - 1).kind());
		}
		// the saved state is the real state too
		JsonNode saved = JsonMapper.builder().build().readTree(this.engine.dataDir().resolve("listeners.json").toFile());
		assertThat(saved.get(0).get("running").asBoolean()).isEqualTo(state == ListenerState.RUNNING);

		this.registry.start("busy");
		assertEchoes(port);
		this.registry.stop("busy");
		assertPortIsFree(port);
	}

	@Test
	void stoppingTheRegistryClosesClientsCleanlyAndQuickly() throws Exception {
		int port = this.engine.create(echo("echo", 0));
		try (TcpClient a = TcpClient.connect(port); TcpClient b = TcpClient.connect(port);
				ExecutorService stopper = Executors.newVirtualThreadPerTaskExecutor()) {
			a.send("a\n");
			assertThat(a.readLine()).isEqualTo("a\n");
			String bId = this.engine.awaitConnection("echo", b);
			long t0 = System.nanoTime();
			Future<?> stopped = stopper.submit(() -> this.registry.stop());
			// a clean close: end of stream, not a reset (which would throw)
			assertThat(a.readToEnd()).isEmpty();
			assertThat(b.readToEnd()).isEmpty();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2000);
			a.close();
			b.close();
			stopped.get(5, TimeUnit.SECONDS);
			assertThat(this.engine.awaitClose("echo", bId)).isEqualTo("application stopped");
		}
		assertThat(this.registry.isRunning()).isFalse();
		assertThat(this.registry.get("echo").state()).isEqualTo(ListenerState.STOPPED);
		assertPortIsFree(port);
	}

	@Test
	void stoppingTheRegistryDoesNotWaitLongForAClientThatNeverCloses() throws Exception {
		int port = this.engine.create(echo("echo", 0));
		try (TcpClient stubborn = TcpClient.connect(port)) {
			this.engine.awaitConnection("echo", stubborn);
			long t0 = System.nanoTime();
			this.registry.stop();
			assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(TcpTransport.GRACEFUL_CLOSE_MS + 1000);
			assertThat(stubborn.read()).isEqualTo(-1);
		}
	}

	@Test
	void aRegistryStoppedAndStartedAgainRestartsWhatWasRunning() throws IOException {
		this.engine.create(echo("running", 0));
		this.registry.create(echo("stopped", 0).withAutostart(false));
		this.registry.stop();
		assertThat(this.registry.get("running").state()).isEqualTo(ListenerState.STOPPED);

		this.registry.start();
		assertThat(this.registry.isRunning()).isTrue();
		assertThat(this.registry.list()).extracting(ListenerInfo::id, ListenerInfo::state)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("running", ListenerState.RUNNING),
					org.assertj.core.groups.Tuple.tuple("stopped", ListenerState.STOPPED));
		assertEchoes(this.engine.port("running"));
	}

	@Test
	void deletingStopsClosesAndForgets() throws Exception {
		int port = this.engine.create(echo("doomed", 0));
		try (TcpClient client = TcpClient.connect(port);
				ExecutorService deleter = Executors.newVirtualThreadPerTaskExecutor()) {
			String id = this.engine.awaitConnection("doomed", client);
			Listener doomed = this.registry.get("doomed");
			Future<?> deleted = deleter.submit(() -> this.registry.delete("doomed"));
			assertThat(client.read()).isEqualTo(-1);
			client.close();
			deleted.get(5, TimeUnit.SECONDS);
			assertThat(doomed.traffic().read(0, 1000).events())
				.anyMatch(e -> e.type() == TrafficType.CLOSE && id.equals(e.connection()) && "listener deleted".equals(e.note()));
		}
		assertThat(this.registry.find("doomed")).isNull();
		assertThat(this.registry.list()).isEmpty();
		assertPortIsFree(port);
		assertThat(this.engine.eventKinds("doomed")).containsExactly(ListenerEvent.Kind.CREATED,
				ListenerEvent.Kind.STARTED, ListenerEvent.Kind.STOPPED, ListenerEvent.Kind.DELETED);
	}

	@Test
	void publishesWhatHappensToAListener() throws IOException {
		assertThat(this.registry.create(echo("watched", 0).withAutostart(false)).boundPort()).isNull();
		this.registry.start("watched");
		this.registry.stop("watched");
		this.registry.delete("watched");
		List<ListenerEvent> events = this.engine.events();
		assertThat(events).extracting(ListenerEvent::kind)
			.containsExactly(ListenerEvent.Kind.CREATED, ListenerEvent.Kind.STARTED, ListenerEvent.Kind.STOPPED,
					ListenerEvent.Kind.DELETED);
		assertThat(events.get(0).listener().state()).isEqualTo(ListenerState.STOPPED);
		assertThat(events.get(1).listener().state()).isEqualTo(ListenerState.RUNNING);
		assertThat(events.get(1).listener().boundPort()).isPositive();
		assertThat(events.get(2).listener().state()).isEqualTo(ListenerState.STOPPED);
		assertThat(events).allSatisfy(e -> assertThat(e.listener().id()).isEqualTo("watched"));
	}
}
