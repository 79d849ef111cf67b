package dev.socketdeck.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** A small REST client for the API under test: every call bounded by {@link #TIMEOUT}. */
final class Api {

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final String base;

	Api(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	URI uri(String path) {
		return URI.create(this.base + path);
	}

	Reply get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).GET());
	}

	/** A GET that accepts only Server-Sent Events, as {@code curl -N} would ask. */
	Reply getEventStream(String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/event-stream").GET();
		if (headers.length > 0) {
			request.headers(headers);
		}
		return send(request);
	}

	Reply post(String path, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	Reply post(String path) {
		return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
	}

	Reply delete(String path) {
		return send(HttpRequest.newBuilder(uri(path)).DELETE());
	}

	Reply send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> r = HTTP.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
			return new Reply(r.request().method() + " " + r.uri().getPath(), r.statusCode(), r.headers(), r.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The listeners' ids, states and bound ports: what a failed request must leave alone. */
	List<String> listenerStates() {
		List<String> states = new ArrayList<>();
		for (JsonNode l : get("/api/listeners").expect(200).json()) {
			states.add(l.path("id").asString() + " " + l.path("state").asString() + " " + l.path("boundPort"));
		}
		return states;
	}

	/** One answer. */
	record Reply(String request, int status, HttpHeaders headers, String body) {

		Reply expect(int expected) {
			assertThat(this.status).as("%s answered %s", this.request, this.body).isEqualTo(expected);
			return this;
		}

		String contentType() {
			return this.headers.firstValue("Content-Type").orElse("");
		}

		JsonNode json() {
			return JSON.readTree(this.body);
		}

		/**
		 * Asserts an RFC 9457 problem with this status, naming {@code field} (or no field when
		 * null), its detail containing every fragment; returns the problem.
		 */
		JsonNode problem(int expected, @org.jspecify.annotations.Nullable String field, String... detail) {
			expect(expected);
			assertThat(contentType()).as("Content-Type of %s", this.request).startsWith("application/problem+json");
			JsonNode p = json();
			assertThat(p.path("status").asInt()).isEqualTo(expected);
			assertThat(p.path("title").asString()).isNotBlank();
			assertThat(p.path("detail").asString()).as("detail of %s", this.request).contains(detail);
			if (field != null) {
				assertThat(p.path("field").asString()).as("field of %s (%s)", this.request, this.body).isEqualTo(field);
			}
			else {
				assertThat(p.has("field")).as("field of %s (%s)", this.request, this.body).isFalse();
			}
			return p;
		}
	}
}
