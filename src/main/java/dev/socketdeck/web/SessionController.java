package dev.socketdeck.web;

import java.net.URI;
import java.util.List;

import dev.socketdeck.client.SessionInfo;
import dev.socketdeck.client.SessionRegistry;
import dev.socketdeck.client.SessionSpec;
import dev.socketdeck.client.TcpSession;
import dev.socketdeck.traffic.TrafficLog;
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

	@GetMapping("/{id}/traffic")
	SessionTrafficPage history(@PathVariable String id, @RequestParam(defaultValue = "0") @Min(0) long after,
			@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
		TcpSession s = this.sessions.get(id);
		TrafficLog.Page page = s.traffic().read(after, limit);
		return new SessionTrafficPage(id, page.events().stream().map(e -> TrafficEventView.of(s, e)).toList(),
				page.next(), page.last(), page.missed());
	}

	@GetMapping(path = "/{id}/traffic/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String id, @RequestParam(required = false) @Nullable @Min(0) Long after,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable Long lastEventId) {
		TcpSession s = this.sessions.get(id);
		long from = (after != null) ? after : (lastEventId != null) ? lastEventId : s.traffic().lastSeq();
		return this.streams.open(s, from);
	}

	/** A page of a session's traffic; the fields mean what they mean for a listener. */
	record SessionTrafficPage(String session, List<TrafficEventView> events, long next, long last, long missed) {
	}
}
