package dev.socketdeck.web;

import java.net.URI;
import java.util.List;

import dev.socketdeck.client.SessionInfo;
import dev.socketdeck.client.SessionRegistry;
import dev.socketdeck.client.SessionSpec;
import dev.socketdeck.client.TcpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Outbound TCP sessions that stay open: connect, send, read the traffic (history and live, in
 * the same shapes as a listener's), close.
 */
@RestController
@RequestMapping("/api/sessions")
class SessionController {

	private final SessionRegistry sessions;

	private final TrafficStreams streams;

	SessionController(SessionRegistry sessions, TrafficStreams streams) {
		this.sessions = sessions;
		this.streams = streams;
	}

	@GetMapping
	List<SessionInfo> list() {
		return this.sessions.list().stream().map(TcpSession::info).toList();
	}

	/** Connects; 201 with the open session, or problem+json saying why the connect failed. */
	@PostMapping
	ResponseEntity<SessionInfo> open(@Valid @RequestBody SessionSpec spec) {
		TcpSession s = this.sessions.open(spec);
		return ResponseEntity.created(URI.create("/api/sessions/" + s.id())).body(s.info());
	}

	@GetMapping("/{id}")
	SessionInfo get(@PathVariable String id) {
		return this.sessions.get(id).info();
	}

	/** Closes the session (if open) and forgets it. */
	@DeleteMapping("/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.sessions.delete(id);
		return ResponseEntity.noContent().build();
	}

	/** Queues {@code {"text"}} or {@code {"hex"}}, framed by the session's framing unless raw. */
	@PostMapping("/{id}/send")
	ListenerController.SendResult send(@PathVariable String id, @RequestBody SendRequest body) {
		TcpSession s = this.sessions.get(id);
		return new ListenerController.SendResult(1, s.send(body.bytes(s.charset()), body.isRaw()));
	}

	/** The session's traffic, as a listener's: oldest first, after the cursor {@code after}. */
	@GetMapping("/{id}/traffic")
	TrafficPage history(@PathVariable String id, @RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		return TrafficPage.read(this.sessions.get(id), after, limit);
	}

	@GetMapping(path = "/{id}/traffic/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String id, @RequestParam(required = false) @Nullable @Min(0) Long after,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable Long lastEventId) {
		return this.streams.open(this.sessions.get(id), after, lastEventId);
	}
}
