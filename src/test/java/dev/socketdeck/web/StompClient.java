package dev.socketdeck.web;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real STOMP client over a plain WebSocket, as a browser page would connect. Messages
 * arrive on the client's threads and are queued for the test, each wait bounded; an error on
 * those threads is kept and fails the next wait (as in spring-guides' GreetingIntegrationTests).
 */
final class StompClient implements AutoCloseable {

	private static final tools.jackson.databind.json.JsonMapper BINARY_JSON = tools.jackson.databind.json.JsonMapper.builder().build();

	/** Batches may be large: the client's default (64 KiB for STOMP, 8 KiB per WebSocket text) is not. */
	private static final int MAX_MESSAGE = 16 * 1024 * 1024;

	private static final WebSocketContainer CONTAINER = container();

	/** The first error on the client's threads. */
	final AtomicReference<@Nullable Throwable> failure;

	private final WebSocketStompClient client;

	private final StompSession session;

	private StompClient(WebSocketStompClient client, StompSession session,
			AtomicReference<@Nullable Throwable> failure) {
		this.client = client;
		this.session = session;
		this.failure = failure;
	}

	private static WebSocketContainer container() {
		WebSocketContainer c = ContainerProvider.getWebSocketContainer();
		c.setDefaultMaxTextMessageBufferSize(MAX_MESSAGE);
		c.setDefaultMaxBinaryMessageBufferSize(MAX_MESSAGE);
		return c;
	}

	static StompClient connect(int port) {
		return connect(port, new WebSocketHttpHeaders());
	}

	/** Connects with these handshake headers (an Origin, say); fails if the server refuses. */
	static StompClient connect(int port, WebSocketHttpHeaders handshake) {
		WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient(CONTAINER));
		// JSON arrives as text frames, and traffic batches as binary frames holding JSON
		client.setMessageConverter(new org.springframework.messaging.converter.CompositeMessageConverter(
				List.of(new JacksonJsonMessageConverter(), new org.springframework.messaging.converter.ByteArrayMessageConverter())));
		client.setInboundMessageSizeLimit(MAX_MESSAGE);
		client.setDefaultHeartbeat(new long[] { 0, 0 });
		AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
		try {
			StompSession session = client
				.connectAsync("ws://127.0.0.1:{port}/ws", handshake, new StompSessionHandlerAdapter() {

					@Override
					public void handleException(StompSession s, @Nullable StompCommand command, StompHeaders headers,
							byte[] payload, Throwable ex) {
						failure.compareAndSet(null, ex);
					}

					@Override
					public void handleTransportError(StompSession s, Throwable ex) {
						failure.compareAndSet(null, ex);
					}
				}, port)
				.get(Api.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return new StompClient(client, session, failure);
		}
		catch (Exception ex) {
			client.stop();
			throw new AssertionError("could not connect over STOMP to port " + port, ex);
		}
	}

	/** Subscribes with a subscription id no other test uses. */
	Subscription subscribe(String destination) {
		return subscribe(destination, java.util.Map.of());
	}

	/** Subscribes with extra native headers ({@code member} for a chat room, say). */
	Subscription subscribe(String destination, java.util.Map<String, String> extra) {
		Subscription s = new Subscription(destination);
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		headers.setId(UUID.randomUUID().toString());
		extra.forEach(headers::add);
		s.subscription = this.session.subscribe(headers, s);
		return s;
	}

	/** Sends a JSON payload to an application destination ({@code /app/...}). */
	void send(String destination, Object payload) {
		this.session.send(destination, payload);
	}

	boolean isConnected() {
		return this.session.isConnected();
	}

	@Override
	public void close() {
		try {
			if (this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		finally {
			this.client.stop();
		}
	}

	/** One subscription's messages, as JSON. */
	final class Subscription implements StompFrameHandler {

		final String destination;

		private final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();

		private final List<JsonNode> seen = new CopyOnWriteArrayList<>();

		/** Messages that came as binary frames. */
		private final java.util.concurrent.atomic.AtomicInteger binary = new java.util.concurrent.atomic.AtomicInteger();

		int binaryFrames() {
			return this.binary.get();
		}

		/** Every message received so far. */
		List<JsonNode> seen() {
			return List.copyOf(this.seen);
		}

		private StompSession.@Nullable Subscription subscription;

		private Subscription(String destination) {
			this.destination = destination;
		}

		String id() {
			StompSession.Subscription s = this.subscription;
			return (s != null) ? s.getSubscriptionId() : "";
		}

		@Override
		public Type getPayloadType(StompHeaders headers) {
			return org.springframework.util.MimeTypeUtils.APPLICATION_OCTET_STREAM.equals(headers.getContentType())
					? byte[].class : JsonNode.class;
		}

		@Override
		public void handleFrame(StompHeaders headers, @Nullable Object payload) {
			if (payload instanceof byte[] bytes) {
				payload = BINARY_JSON.readTree(bytes);
				this.binary.incrementAndGet();
			}
			if (payload instanceof JsonNode json) {
				this.seen.add(json);
				this.messages.add(json);
			}
			else {
				StompClient.this.failure.compareAndSet(null,
						new AssertionError("not JSON on " + this.destination + ": " + payload));
			}
		}

		/** The next message that matches, skipping others; fails after the timeout. */
		JsonNode await(Predicate<JsonNode> wanted, Duration timeout) {
			long deadline = System.nanoTime() + timeout.toNanos();
			try {
				while (true) {
					Throwable ex = StompClient.this.failure.get();
					if (ex != null) {
						throw new AssertionError("the STOMP client failed", ex);
					}
					long left = deadline - System.nanoTime();
					JsonNode m = (left > 0) ? this.messages.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS)
							: null;
					if (m != null && wanted.test(m)) {
						return m;
					}
					if (m == null && left <= 0) {
						return fail("no matching message on %s within %s; it had %s", this.destination, timeout,
								this.seen);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}

		JsonNode await(Predicate<JsonNode> wanted) {
			return await(wanted, Api.TIMEOUT);
		}

		JsonNode next() {
			return await(m -> true);
		}

		void unsubscribe() {
			StompSession.Subscription s = this.subscription;
			if (s != null) {
				s.unsubscribe();
			}
		}
	}
}
