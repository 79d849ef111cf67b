package dev.socketdeck.web;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Event streams of traffic. Each stream has its own virtual thread that pages
 * through the log of a listener or session a few times a second ({@link TrafficCursor}) and
 * sends what is new in one write, so the socket threads never wait for a reader. A reader that
 * falls too far behind skips ahead to the newest events and is told how many it missed
 * ({@code event: dropped}).
 */
@Component
class TrafficStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TrafficStreams.class);

	/** How often a stream looks for new events. */
	static final Duration INTERVAL = Duration.ofMillis(100);

	/** Events per write; more pending than {@link #MAX_BACKLOG} and the stream skips ahead. */
	static final int BATCH = 500;

	static final int MAX_BACKLOG = 2000;

	private static final Duration HEARTBEAT = Duration.ofSeconds(15);

	private final JsonMapper json;

	private final Map<SseEmitter, Thread> open = new ConcurrentHashMap<>();

	/** True from the start, so a stream opened as soon as the server answers is not ended at once. */
	private volatile boolean running = true;

	TrafficStreams(JsonMapper json) {
		this.json = json;
	}

	/**
	 * A stream from {@code after}, else from {@code lastEventId} (a reconnecting EventSource),
	 * else from what comes next.
	 */
	SseEmitter open(TrafficSource source, @Nullable Long after, @Nullable Long lastEventId) {
		long from = (after != null) ? after : (lastEventId != null) ? lastEventId : source.traffic().lastSeq();
		return open(source, from);
	}

	SseEmitter open(TrafficSource source, long after) {
		SseEmitter emitter = new SseEmitter(0L);
		AtomicBoolean done = new AtomicBoolean();
		emitter.onCompletion(() -> done.set(true));
		emitter.onError(ex -> done.set(true));
		emitter.onTimeout(() -> done.set(true));
		Thread t = Thread.ofVirtual()
			.name("sse-" + source.kind() + "-" + source.id())
			.unstarted(() -> pump(source, after, emitter, done));
		this.open.put(emitter, t);
		t.start();
		return emitter;
	}

	private void pump(TrafficSource source, long after, SseEmitter emitter, AtomicBoolean done) {
		TrafficCursor cursor = new TrafficCursor(source.traffic(), after, BATCH, MAX_BACKLOG, Long.MAX_VALUE);
		long lastWrite = System.nanoTime();
		try {
			send(emitter, SseEmitter.event().comment("traffic of " + source.kind() + " " + source.id() + " after " + after).build());
			while (this.running && !done.get()) {
				// read after this, the log holds everything the deleted source will ever say
				boolean deleted = source.deleted();
				TrafficCursor.Batch next = cursor.next();
				Set<DataWithMediaType> batch = new LinkedHashSet<>();
				if (next.dropped() > 0) {
					batch.addAll(SseEmitter.event()
						.name("dropped")
						.data("{\"dropped\":" + next.dropped() + ",\"reason\":\"this stream fell behind\"}")
						.build());
				}
				for (TrafficEvent e : next.events()) {
					batch.addAll(SseEmitter.event()
						.id(Long.toString(e.seq()))
						.name("traffic")
						.data(this.json.writeValueAsString(TrafficEventView.of(source, e)))
						.build());
				}
				if (!batch.isEmpty()) {
					send(emitter, batch);
					lastWrite = System.nanoTime();
				}
				else if (System.nanoTime() - lastWrite > HEARTBEAT.toNanos()) {
					send(emitter, SseEmitter.event().comment("keep-alive").build());
					lastWrite = System.nanoTime();
				}
				if (next.caughtUp()) {
					if (deleted) {
						send(emitter, SseEmitter.event().name("end").data("{\"reason\":\"" + source.kind() + " deleted\"}").build());
						break;
					}
					LockSupport.parkNanos(INTERVAL.toNanos());
				}
			}
			emitter.complete();
		}
		catch (IOException | IllegalStateException ex) {
			log.debug("Traffic stream of '{}' ended: {}", source.id(), ex.getMessage());
		}
		finally {
			this.open.remove(emitter);
		}
	}

	private static void send(SseEmitter emitter, Set<DataWithMediaType> data) throws IOException {
		emitter.send(data);
	}

	@Override
	public void start() {
		this.running = true;
	}

	/** Ends every stream, so the web server can stop without waiting for curl. */
	@Override
	public void stop() {
		this.running = false;
		for (Map.Entry<SseEmitter, Thread> e : this.open.entrySet()) {
			LockSupport.unpark(e.getValue());
			try {
				e.getValue().join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}
}
