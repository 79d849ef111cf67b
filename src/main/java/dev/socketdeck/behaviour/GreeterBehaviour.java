package dev.socketdeck.behaviour;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.springframework.stereotype.Component;

/**
 * The tutorials' greeter. TCP: {@code Welcome!} on connect, {@code X} answered with
 * {@code Hello, X!}, {@code exit} closes. UDP: each datagram {@code X} answered with
 * {@code Hello, X!}.
 */
final class GreeterBehaviour implements Behaviour {

	private final String welcome;

	private final String greeting;

	private final String exitWord;

	GreeterBehaviour(String welcome, String greeting, String exitWord) {
		this.welcome = welcome;
		this.greeting = greeting;
		this.exitWord = exitWord;
	}

	@Override
	public Handler open(Peer peer) {
		if (!peer.datagram() && !this.welcome.isEmpty()) {
			peer.send(this.welcome);
		}
		return frame -> {
			String name = new String(frame, peer.charset()).strip();
			if (name.isEmpty()) {
				return;
			}
			if (!peer.datagram() && name.equals(this.exitWord)) {
				peer.close("client said " + this.exitWord);
				return;
			}
			peer.send(this.greeting.replace("{}", name));
		};
	}

	@Component
	static final class Factory implements BehaviourFactory {

		private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
		static {
			DEFAULTS.put("welcome", "Welcome!");
			DEFAULTS.put("greeting", "Hello, {}!");
			DEFAULTS.put("exit", "exit");
		}

		@Override
		public String name() {
			return "greeter";
		}

		@Override
		public String description() {
			return "TCP: sends Welcome! on connect, answers X with Hello, X!, closes on exit; UDP: answers Hello, X!";
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
			return FramingSpec.of(Framing.LINE);
		}

		@Override
		public Map<String, String> defaultOptions() {
			return DEFAULTS;
		}

		@Override
		public Behaviour create(Map<String, String> options) {
			checkKnown(options);
			String greeting = options.getOrDefault("greeting", DEFAULTS.get("greeting"));
			if (!greeting.contains("{}")) {
				throw new IllegalArgumentException("option 'greeting' needs {} where the name goes, like \"Hello, {}!\"");
			}
			String exit = options.getOrDefault("exit", DEFAULTS.get("exit")).strip();
			if (exit.isEmpty()) {
				throw new IllegalArgumentException("option 'exit' must not be blank");
			}
			return new GreeterBehaviour(options.getOrDefault("welcome", DEFAULTS.get("welcome")), greeting, exit);
		}
	}
}
