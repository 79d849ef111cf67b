package dev.socketdeck.behaviour;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;

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

	static BehaviourFactory factory() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("welcome", "Welcome!");
		defaults.put("greeting", "Hello, {}!");
		defaults.put("exit", "exit");
		return new SimpleBehaviourFactory("greeter",
				"TCP: sends Welcome! on connect, answers X with Hello, X!, closes on exit; UDP: answers Hello, X!", true,
				true, FramingSpec.of(Framing.LINE), defaults, options -> create(options, defaults));
	}

	private static GreeterBehaviour create(Map<String, String> options, Map<String, String> defaults) {
		String greeting = options.getOrDefault("greeting", defaults.get("greeting"));
		if (!greeting.contains("{}")) {
			throw new IllegalArgumentException("option 'greeting' needs {} where the name goes, like \"Hello, {}!\"");
		}
		String exit = options.getOrDefault("exit", defaults.get("exit")).strip();
		if (exit.isEmpty()) {
			throw new IllegalArgumentException("option 'exit' must not be blank");
		}
		return new GreeterBehaviour(options.getOrDefault("welcome", defaults.get("welcome")), greeting, exit);
	}
}
