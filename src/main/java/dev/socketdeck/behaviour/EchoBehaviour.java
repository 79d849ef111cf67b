package dev.socketdeck.behaviour;

import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;

/** Sends each frame back to where it came from. */
final class EchoBehaviour implements Behaviour {

	@Override
	public Handler open(Peer peer) {
		return peer::send;
	}

	static BehaviourFactory factory() {
		return new SimpleBehaviourFactory("echo", "sends each frame back", true, true, FramingSpec.of(Framing.RAW),
				Map.of(), options -> new EchoBehaviour());
	}
}
