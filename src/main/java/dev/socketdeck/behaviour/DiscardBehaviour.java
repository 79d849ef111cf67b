package dev.socketdeck.behaviour;

import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.springframework.stereotype.Component;

/** Reads and drops everything (the traffic log still shows it). */
final class DiscardBehaviour implements Behaviour {

	private static final Handler DROP = frame -> {
	};

	@Override
	public Handler open(Peer peer) {
		return DROP;
	}

	@Component
	static final class Factory implements BehaviourFactory {

		@Override
		public String name() {
			return "discard";
		}

		@Override
		public String description() {
			return "reads and drops every frame";
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
			return new DiscardBehaviour();
		}
	}
}
