package dev.socketdeck.behaviour;

import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;

/** Reads and drops everything (the traffic log still shows it). */
final class DiscardBehaviour implements Behaviour {

	private static final Handler DROP = frame -> {
	};

	@Override
	public Handler open(Peer peer) {
		return DROP;
	}

	static BehaviourFactory factory() {
		return new SimpleBehaviourFactory("discard", "reads and drops every frame", true, true,
				FramingSpec.of(Framing.RAW), Map.of(), options -> new DiscardBehaviour());
	}
}
