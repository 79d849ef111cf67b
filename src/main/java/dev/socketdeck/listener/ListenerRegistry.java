package dev.socketdeck.listener;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.socketdeck.behaviour.Behaviour;
import dev.socketdeck.behaviour.BehaviourFactory;
import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.traffic.TrafficLog;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The one owner of every listener: create, start, stop, delete, list. As a
 * {@link SmartLifecycle} it starts the declared listeners (and those saved from the last run)
 * with the application, and closes every listener when the application stops, in parallel
 * and within a bounded time. Started again after a stop (a context stop and start), it restarts
 * the listeners that were running when it stopped.
 *
 * <p>A request that fails changes nothing: a listener whose creation fails (invalid spec,
 * name taken, port in use) does not exist afterwards (if it was already announced as CREATED, a
 * DELETED event follows).
 */
@Component
public class ListenerRegistry implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ListenerRegistry.class);

	private final Behaviours behaviours;

	private final EngineProperties properties;

	private final Validator validator;

	private final Consumer<ListenerEvent> events;

	private final ListenerStore store;

	/** The I/O threads every TCP connection runs on; stopped with the registry. */
	private final IoLoops loops;

	private final Map<String, Listener> listeners = new ConcurrentHashMap<>();

	private final Object mutations = new Object();

	private volatile boolean running;

	/** Guarded by mutations: the declared and saved listeners were loaded (by the first start). */
	private boolean loaded;

	/** Guarded by mutations: listeners that were running when {@link #stop()} stopped them. */
	private final Set<String> runningAtStop = new java.util.LinkedHashSet<>();

	public ListenerRegistry(Behaviours behaviours, EngineProperties properties, Validator validator,
			ApplicationEventPublisher publisher) {
		this.behaviours = behaviours;
		this.properties = properties;
		this.validator = validator;
		this.events = publisher::publishEvent;
		this.store = new ListenerStore(properties.dataDir());
		this.loops = new IoLoops(properties.ioThreads());
	}

	// ---- lifecycle

	@Override
	public void start() {
		synchronized (this.mutations) {
			if (this.running) {
				return;
			}
			this.running = true;
			if (this.loaded) {
				// started again after stop(): what was running then runs again
				for (String id : this.runningAtStop) {
					Listener l = this.listeners.get(id);
					if (l != null) {
						startQuietly(l);
					}
				}
				this.runningAtStop.clear();
				return;
			}
			this.loaded = true;
			for (ListenerSpec spec : this.properties.listeners()) {
				try {
					Listener l = add(spec, true);
					if (spec.autostart()) {
						startQuietly(l);
					}
				}
				catch (RuntimeException ex) {
					log.error("Declared listener '{}' is not created: {}", spec.name(), ex.getMessage());
				}
			}
			for (ListenerStore.Saved saved : this.store.load()) {
				try {
					Listener l = add(saved.spec(), false);
					if (saved.running()) {
						startQuietly(l);
					}
				}
				catch (RuntimeException ex) {
					log.error("Saved listener '{}' is not restored: {}", saved.spec().name(), ex.getMessage());
				}
			}
		}
	}

	private void startQuietly(Listener l) {
		try {
			l.start();
		}
		catch (Listener.ListenerStartException ex) {
			log.error("Listener '{}' did not start: {}", l.id(), ex.getMessage());
		}
	}

	@Override
	public void stop() {
		List<Thread> stopping = new ArrayList<>();
		synchronized (this.mutations) {
			this.running = false;
			for (Listener l : this.listeners.values()) {
				if (l.state() == ListenerState.RUNNING) {
					this.runningAtStop.add(l.id());
				}
				stopping.add(Thread.ofVirtual().name("stop-" + l.id()).start(() -> l.stop("application stopped")));
			}
		}
		for (Thread t : stopping) {
			try {
				t.join(TcpTransport.GRACEFUL_CLOSE_MS + 2000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.loops.shutdown();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// ---- operations

	/**
	 * Creates a listener and starts it unless its spec says {@code autostart: false}.
	 * @throws InvalidSpecException when the spec cannot work (naming the field)
	 * @throws ListenerConflictException when the name is taken, the port is in use or the limit
	 * of listeners is reached
	 */
	public ListenerInfo create(ListenerSpec spec) {
		// validating may resolve a host name: done before taking the lock, so a slow resolver
		// holds up only this request
		Listener l = prepare(spec, false);
		synchronized (this.mutations) {
			try {
				register(l);
			}
			catch (RuntimeException ex) {
				l.behaviour().retired();
				throw ex;
			}
			if (spec.autostart()) {
				try {
					l.start();
				}
				catch (Listener.ListenerStartException ex) {
					this.listeners.remove(l.id());
					l.behaviour().retired();
					// it was announced as created; whoever follows the events must learn it is gone
					this.events.accept(new ListenerEvent(ListenerEvent.Kind.DELETED, l.info()));
					if (ex.portInUse()) {
						throw new ListenerConflictException("port", ex.getMessage());
					}
					throw new InvalidSpecException("host", ex.getMessage());
				}
			}
			save();
			return l.info();
		}
	}

	private Listener add(ListenerSpec requested, boolean declared) {
		Listener l = prepare(requested, declared);
		try {
			return register(l);
		}
		catch (RuntimeException ex) {
			l.behaviour().retired();
			throw ex;
		}
	}

	/** Validates a spec and makes its listener, not yet registered. */
	private Listener prepare(ListenerSpec requested, boolean declared) {
		Set<ConstraintViolation<ListenerSpec>> violations = this.validator.validate(requested);
		if (!violations.isEmpty()) {
			ConstraintViolation<ListenerSpec> v = violations.iterator().next();
			throw new InvalidSpecException(v.getPropertyPath().toString(), v.getMessage());
		}
		BehaviourFactory factory = this.behaviours.find(requested.behaviour());
		if (factory == null) {
			throw new InvalidSpecException("behaviour",
					"unknown behaviour '" + requested.behaviour() + "' (choose " + this.behaviours.names() + ")");
		}
		if (requested.protocol() == Protocol.TCP && !factory.supportsTcp()
				|| requested.protocol() == Protocol.UDP && !factory.supportsUdp()) {
			throw new InvalidSpecException("behaviour", "the " + factory.name() + " behaviour does not work over "
					+ requested.protocol().label());
		}
		ListenerSpec spec = (requested.framing() != null) ? requested : requested.withFraming(factory.defaultFraming());
		FramingSpec framing = java.util.Objects.requireNonNull(spec.framing());
		if (spec.protocol() == Protocol.UDP && framing.type() != Framing.RAW && framing.type() != Framing.LINE) {
			throw new InvalidSpecException("framing",
					"a UDP datagram is a frame already; use raw or line framing, not " + framing);
		}
		if (!isSupportedCharset(spec.charset())) {
			throw new InvalidSpecException("charset", "unknown charset '" + spec.charset() + "', or one that cannot encode (try UTF-8, ISO-8859-1,"
					+ " US-ASCII or windows-1252)");
		}
		InetAddress address = resolveBindAddress(spec.host());
		Behaviour behaviour;
		try {
			behaviour = factory.create(spec.name(), spec.options());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSpecException("options", ex.getMessage());
		}
		EngineProperties.Traffic t = this.properties.traffic();
		return new Listener(spec, declared, address, behaviour, new TrafficLog(t.maxEvents(), t.maxBytes().toBytes()),
				this.loops, this.events);
	}

	/** Called holding {@link #mutations}. */
	private Listener register(Listener l) {
		if (this.listeners.containsKey(l.id())) {
			throw new ListenerConflictException("name", "a listener named '" + l.id() + "' already exists");
		}
		if (this.listeners.size() >= this.properties.maxListeners()) {
			throw new ListenerConflictException("there are already " + this.listeners.size()
					+ " listeners, the maximum (socketdeck.max-listeners); delete one first");
		}
		this.listeners.put(l.id(), l);
		l.behaviour().registered();
		this.events.accept(new ListenerEvent(ListenerEvent.Kind.CREATED, l.info()));
		return l;
	}

	private static boolean isSupportedCharset(String name) {
		try {
			return Charset.isSupported(name) && Charset.forName(name).canEncode();
		}
		catch (IllegalArgumentException ex) {
			return false; // not even a legal charset name
		}
	}

	private InetAddress resolveBindAddress(String host) {
		InetAddress address;
		try {
			address = InetAddress.getByName(host);
		}
		catch (UnknownHostException ex) {
			throw new InvalidSpecException("host", "'" + host + "' does not resolve to an address");
		}
		if (!address.isLoopbackAddress() && !this.properties.allowPublicBind()) {
			throw new InvalidSpecException("host", "binding to " + host + " would let other machines connect;"
					+ " listeners bind to loopback (127.0.0.1 or ::1) unless socketdeck.allow-public-bind is true");
		}
		return address;
	}

	public List<ListenerInfo> list() {
		return this.listeners.values().stream().map(Listener::info).sorted(java.util.Comparator.comparing(ListenerInfo::id)).toList();
	}

	/** @throws NoSuchListenerException when there is none with that id */
	public Listener get(String id) {
		Listener l = this.listeners.get(id);
		if (l == null) {
			throw new NoSuchListenerException(id);
		}
		return l;
	}

	public @Nullable Listener find(String id) {
		return this.listeners.get(id);
	}

	/**
	 * Starts a listener; idempotent.
	 * @throws ListenerConflictException when its port is in use or it cannot bind
	 */
	public ListenerInfo start(String id) {
		Listener l = get(id);
		try {
			l.start();
		}
		catch (Listener.ListenerStartException ex) {
			throw new ListenerConflictException(ex.portInUse() ? "port" : null, ex.getMessage());
		}
		finally {
			saveLater();
		}
		return l.info();
	}

	/** Stops a listener; idempotent. */
	public ListenerInfo stop(String id) {
		Listener l = get(id);
		l.stop();
		saveLater();
		return l.info();
	}

	/** Stops and removes a listener; its traffic log goes with it. */
	public void delete(String id) {
		Listener l;
		synchronized (this.mutations) {
			l = get(id);
			this.listeners.remove(id);
			save();
		}
		l.retire();
		this.events.accept(new ListenerEvent(ListenerEvent.Kind.DELETED, l.info()));
	}

	private void saveLater() {
		synchronized (this.mutations) {
			save();
		}
	}

	/** Called holding {@link #mutations}. */
	private void save() {
		List<ListenerStore.Saved> saved = new ArrayList<>();
		for (Listener l : this.listeners.values()) {
			if (!l.declared()) {
				saved.add(new ListenerStore.Saved(l.spec(), l.state() == ListenerState.RUNNING));
			}
		}
		saved.sort(java.util.Comparator.comparing(s -> s.spec().name()));
		this.store.save(saved);
	}
}
