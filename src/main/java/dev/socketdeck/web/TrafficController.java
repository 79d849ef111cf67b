package dev.socketdeck.web;

import dev.socketdeck.listener.ListenerRegistry;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** A listener's traffic: history by cursor, and a live Server-Sent Events stream. */
@RestController
@RequestMapping("/api/listeners/{id}/traffic")
class TrafficController {

	private final ListenerRegistry registry;

	private final TrafficStreams streams;

	TrafficController(ListenerRegistry registry, TrafficStreams streams) {
		this.registry = registry;
		this.streams = streams;
	}

	/**
	 * Events after the cursor {@code after} (a sequence number; 0 for the oldest kept), oldest
	 * first. Ask again with {@code after=next} for the following page.
	 */
	@GetMapping
	TrafficPage history(@PathVariable String id, @RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		return TrafficPage.read(this.registry.get(id), after, limit);
	}

	/**
	 * Live traffic as Server-Sent Events ({@code curl -N}). Starts with what comes next, or
	 * after {@code after} (or the Last-Event-ID header) to replay from there.
	 */
	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String id, @RequestParam(required = false) @Nullable @Min(0) Long after,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable Long lastEventId) {
		return this.streams.open(this.registry.get(id), after, lastEventId);
	}
}
