package dev.socketdeck.listener;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The engine without Spring, for tests: a {@link ListenerRegistry} on a temporary data folder
 * whose published events are collected, plus ways to wait for what its sockets do. As a JUnit
 * extension ({@code @RegisterExtension final TestEngine engine = TestEngine.perTest();}) it
 * starts before each test and stops after it, as the application context would; otherwise
 * start and stop it yourself.
 */
public final class TestEngine implements BeforeEachCallback, AfterEachCallback {

	/** How long any test waits for something that should take milliseconds. */
	public static final Duration TIMEOUT = Duration.ofSeconds(5);

	public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

	private static final ValidatorFactory VALIDATION = Validation.buildDefaultValidatorFactory();

	private final List<ListenerEvent> events = new CopyOnWriteArrayList<>();

	private final ListenerRegistry registry;

	private @Nullable Path ownDataDir;

	/** An engine on a data folder of its own, started before each test and stopped after it. */
	public static TestEngine perTest() {
		try {
			Path dir = Files.createTempDirectory("socketdeck-engine-test");
			TestEngine engine = new TestEngine(dir);
			engine.ownDataDir = dir;
			return engine;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The data folder of an engine made by {@link #perTest()}. */
	public Path dataDir() {
		if (this.ownDataDir == null) {
			throw new IllegalStateException("this engine was given its data folder");
		}
		return this.ownDataDir;
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		start();
	}

	@Override
	public void afterEach(ExtensionContext context) throws IOException {
		stop();
		if (this.ownDataDir != null) {
			try (Stream<Path> files = Files.walk(this.ownDataDir)) {
				for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(f);
				}
			}
		}
	}

	public TestEngine(Path dataDir) {
		this(Behaviours.builtIn(), EngineProperties.defaults(dataDir));
	}

	public TestEngine(Behaviours behaviours, EngineProperties properties) {
		this.registry = new ListenerRegistry(behaviours, properties, validator(),
				event -> this.events.add((ListenerEvent) event));
	}

	public static Validator validator() {
		return VALIDATION.getValidator();
	}

	public ListenerRegistry registry() {
		return this.registry;
	}

	/** Every event the registry published, in order. */
	public List<ListenerEvent> events() {
		return this.events;
	}

	public List<ListenerEvent.Kind> eventKinds(String listener) {
		return this.events.stream().filter(e -> e.listener().id().equals(listener)).map(ListenerEvent::kind).toList();
	}

	public void start() {
		this.registry.start();
	}

	public void stop() {
		this.registry.stop();
	}

	/** Creates (and starts) a listener; returns the port it is bound to. */
	public int create(ListenerSpec spec) {
		Integer port = this.registry.create(spec).boundPort();
		if (port == null) {
			throw new IllegalStateException(spec.name() + " is not running");
		}
		return port;
	}

	public Listener listener(String name) {
		return this.registry.get(name);
	}

	public int port(String name) {
		Integer port = listener(name).info().boundPort();
		if (port == null) {
			throw new IllegalStateException(name + " is not running");
		}
		return port;
	}

	/** Waits for the first traffic event of a listener that matches. */
	public TrafficEvent awaitTraffic(String listener, Predicate<TrafficEvent> matching) {
		return await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> findTraffic(listener, matching), Optional::isPresent)
			.orElseThrow();
	}

	/** Waits for the CLOSE event of a connection and returns its note (the reason). */
	public String awaitClose(String listener, String connection) {
		TrafficEvent close = awaitTraffic(listener,
				e -> e.type() == TrafficType.CLOSE && connection.equals(e.connection()));
		return String.valueOf(close.note());
	}

	public Optional<TrafficEvent> findTraffic(String listener, Predicate<TrafficEvent> matching) {
		return traffic(listener).stream().filter(matching).findFirst();
	}

	public List<TrafficEvent> traffic(String listener) {
		return listener(listener).traffic().read(0, Integer.MAX_VALUE).events();
	}

	/** Waits until the listener has accepted a connection from this client, and returns its id. */
	public String awaitConnection(String listener, TcpClient client) {
		String remote = "127.0.0.1:" + client.localPort();
		return await().atMost(TIMEOUT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> listener(listener).connections()
				.stream()
				.filter(c -> c.remote().equals(remote))
				.map(ConnectionInfo::id)
				.findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	/** A port that was free a moment ago (for tests that need a fixed port). */
	public static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
			return s.getLocalPort();
		}
	}
}
