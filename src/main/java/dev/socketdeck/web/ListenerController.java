package dev.socketdeck.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.socketdeck.behaviour.BehaviourFactory;
import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.listener.ConnectionInfo;
import dev.socketdeck.listener.Listener;
import dev.socketdeck.listener.ListenerRegistry;
import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.ListenerStats;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Listeners and their connections over REST: everything the dashboard does. */
@RestController
@RequestMapping("/api")
class ListenerController {

	private final ListenerRegistry registry;

	private final Behaviours behaviours;

	ListenerController(ListenerRegistry registry, Behaviours behaviours) {
		this.registry = registry;
		this.behaviours = behaviours;
	}

	@GetMapping("/listeners")
	List<ListenerView> list() {
		return this.registry.list().stream().map(ListenerView::of).toList();
	}

	@PostMapping("/listeners")
	ResponseEntity<ListenerView> create(@Valid @RequestBody ListenerSpec spec) {
		ListenerView view = ListenerView.of(this.registry.create(spec));
		return ResponseEntity.created(URI.create("/api/listeners/" + view.id())).body(view);
	}

	@GetMapping("/listeners/{id}")
	ListenerView get(@PathVariable String id) {
		return ListenerView.of(this.registry.get(id).info());
	}

	@DeleteMapping("/listeners/{id}")
	ResponseEntity<Void> delete(@PathVariable String id) {
		this.registry.delete(id);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/listeners/{id}/start")
	ListenerView start(@PathVariable String id) {
		return ListenerView.of(this.registry.start(id));
	}

	@PostMapping("/listeners/{id}/stop")
	ListenerView stop(@PathVariable String id) {
		return ListenerView.of(this.registry.stop(id));
	}

	@GetMapping("/listeners/{id}/stats")
	ListenerStats stats(@PathVariable String id) {
		return this.registry.get(id).stats();
	}

	@GetMapping("/listeners/{id}/connections")
	List<ConnectionInfo> connections(@PathVariable String id) {
		return this.registry.get(id).connections();
	}

	@PostMapping("/listeners/{id}/connections/{cid}/send")
	SendResult send(@PathVariable String id, @PathVariable String cid, @RequestBody SendRequest body) {
		Listener l = this.registry.get(id);
		int bytes = l.send(cid, body.bytes(l.charset()), body.isRaw());
		return new SendResult(1, bytes);
	}

	@DeleteMapping("/listeners/{id}/connections/{cid}")
	ResponseEntity<Void> kick(@PathVariable String id, @PathVariable String cid) {
		this.registry.get(id).kick(cid);
		return ResponseEntity.noContent().build();
	}

	@PostMapping("/listeners/{id}/broadcast")
	SendResult broadcast(@PathVariable String id, @RequestBody SendRequest body) {
		Listener l = this.registry.get(id);
		Listener.Broadcast sent = l.broadcast(body.bytes(l.charset()), body.isRaw());
		return new SendResult(sent.connections(), sent.bytes());
	}

	@GetMapping("/behaviours")
	List<BehaviourView> behaviours() {
		return this.behaviours.all().stream().map(BehaviourView::of).toList();
	}

	/**
	 * What a send did.
	 * @param connections how many connections it was queued for
	 * @param bytes bytes per connection, as queued (framing included)
	 */
	record SendResult(int connections, int bytes) {
	}

	/** A behaviour a listener can have, with its options' defaults. */
	record BehaviourView(String name, String description, boolean tcp, boolean udp, String defaultFraming,
			Map<String, String> options) {

		static BehaviourView of(BehaviourFactory f) {
			return new BehaviourView(f.name(), f.description(), f.supportsTcp(), f.supportsUdp(),
					f.defaultFraming().toString(), f.defaultOptions());
		}
	}
}
