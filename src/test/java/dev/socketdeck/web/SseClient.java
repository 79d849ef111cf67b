package dev.socketdeck.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.fail;

/**
 * A Server-Sent Events reader over {@link HttpClient}: lines arrive on the client's threads
 * and are parsed into events the test waits for, each wait bounded. Closing cancels the
 * response body, which closes the connection.
 */
final class SseClient implements Flow.Subscriber<String>, AutoCloseable {

	/** One event; {@code name} is "message" when the stream gave none. */
	record Event(@Nullable String id, String name, String data) {

		JsonNode json() {
			return Api.JSON.readTree(this.data);
		}
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Api.TIMEOUT).build();

	final CompletableFuture<HttpResponse.ResponseInfo> response = new CompletableFuture<>();

	/** Completes with the first comment line: the server has the stream open. */
	final CompletableFuture<String> opened = new CompletableFuture<>();

	/** Completes when the server ends the stream. */
	final CompletableFuture<Void> ended = new CompletableFuture<>();

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final List<Event> seen = new CopyOnWriteArrayList<>();

	private volatile Flow.@Nullable Subscription subscription;

	private @Nullable String id;

	private @Nullable String name;

	private @Nullable StringBuilder data;

	private SseClient() {
	}

	static SseClient open(URI uri, String... headers) {
		SseClient c = new SseClient();
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		c.http.sendAsync(request.build(), info -> {
			c.response.complete(info);
			return HttpResponse.BodySubscribers.fromLineSubscriber(c);
		}).whenComplete((r, ex) -> {
			if (ex != null) {
				c.response.completeExceptionally(ex);
				c.opened.completeExceptionally(ex);
				c.ended.completeExceptionally(ex);
			}
		});
		return c;
	}

	/** Waits until the server has opened the stream (its first comment arrived). */
	SseClient awaitOpen() {
		try {
			this.opened.get(Api.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			return this;
		}
		catch (Exception ex) {
			throw new AssertionError("the stream did not open", ex);
		}
	}

	/** The next event that matches, skipping others; fails after the timeout. */
	Event await(Predicate<Event> wanted, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (true) {
				long left = deadline - System.nanoTime();
				Event e = (left > 0) ? this.events.poll(left, TimeUnit.NANOSECONDS) : null;
				if (e == null) {
					return fail("no matching event within %s; the stream gave %s", timeout, this.seen);
				}
				if (wanted.test(e)) {
					return e;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	Event await(Predicate<Event> wanted) {
		return await(wanted, Api.TIMEOUT);
	}

	/** The next event of any kind. */
	Event next() {
		return await(e -> true);
	}

	/** Waits until the server ends the stream. */
	void awaitEnd() {
		try {
			this.ended.get(Api.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("the stream did not end; it gave " + this.seen, ex);
		}
	}

	@Override
	public void onSubscribe(Flow.Subscription s) {
		this.subscription = s;
		s.request(Long.MAX_VALUE);
	}

	@Override
	public void onNext(String line) {
		if (line.isEmpty()) {
			if (this.data != null) {
				Event e = new Event(this.id, (this.name != null) ? this.name : "message", this.data.toString());
				this.seen.add(e);
				this.events.add(e);
			}
			this.id = null;
			this.name = null;
			this.data = null;
			return;
		}
		if (line.startsWith(":")) {
			this.opened.complete(line.substring(1).strip());
			return;
		}
		int colon = line.indexOf(':');
		String field = (colon < 0) ? line : line.substring(0, colon);
		String value = (colon < 0) ? "" : line.substring(colon + 1);
		if (value.startsWith(" ")) {
			value = value.substring(1);
		}
		switch (field) {
			case "id" -> this.id = value;
			case "event" -> this.name = value;
			case "data" -> {
				if (this.data == null) {
					this.data = new StringBuilder(value);
				}
				else {
					this.data.append('\n').append(value);
				}
			}
			default -> {
				// retry and unknown fields: not used here
			}
		}
	}

	@Override
	public void onError(Throwable ex) {
		this.ended.completeExceptionally(ex);
	}

	@Override
	public void onComplete() {
		this.ended.complete(null);
	}

	@Override
	public void close() {
		Flow.Subscription s = this.subscription;
		if (s != null) {
			s.cancel();
		}
		this.http.shutdownNow();
	}
}
