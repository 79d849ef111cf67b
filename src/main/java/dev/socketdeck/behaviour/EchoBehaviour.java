package dev.socketdeck.behaviour;

import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.springframework.stereotype.Component;

/** Sends each frame back to where it came from. */
final class EchoBehaviour implements Behaviour {

	@Override
	public Handler open(Peer peer) {
		return peer::send;
	}

	@Component
	static final class Factory implements BehaviourFactory {

		@Override
		public String name() {
			return "echo";
		}

		@Override
		public String description() {
			return "sends each frame back";
		}

		@Override
		public boolean supportsTcp() {
			return true;
		}

		@Override
		public boolean supportsUdp() {
			return true;
		}

		@Override
		public FramingSpec defaultFraming() {
			return FramingSpec.of(Framing.RAW);
		}

		@Override
		public Map<String, String> defaultOptions() {
			return Map.of();
		}

		@Override
		public Behaviour create(Map<String, String> options) {
			checkKnown(options);
			return new EchoBehaviour();
		}
	}
}
