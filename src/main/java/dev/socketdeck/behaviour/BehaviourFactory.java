package dev.socketdeck.behaviour;

import java.util.Map;

import dev.socketdeck.codec.FramingSpec;

/** Makes one kind of behaviour from a listener's options. */
public interface BehaviourFactory {

	/** The name used in listener specs: echo, greeter, http, discard, ... */
	String name();

	/** One line for people choosing a behaviour. */
	String description();

	boolean supportsTcp();

	boolean supportsUdp();

	/** The framing a listener gets when its spec names none. */
	FramingSpec defaultFraming();

	/** The options this behaviour understands, with their defaults (for docs and forms). */
	Map<String, String> defaultOptions();

	/**
	 * Makes the behaviour for one listener.
	 * @throws IllegalArgumentException when an option is unknown or invalid, naming it
	 */
	Behaviour create(Map<String, String> options);

	/**
	 * Makes the behaviour for the listener named {@code listener}: behaviours whose state is
	 * named after their listener (a chat room) override this one.
	 * @throws IllegalArgumentException when an option is unknown or invalid, naming it
	 */
	default Behaviour create(String listener, Map<String, String> options) {
		return create(options);
	}

	/** Rejects options this factory does not know. */
	default void checkKnown(Map<String, String> options) {
		for (String key : options.keySet()) {
			if (!defaultOptions().containsKey(key)) {
				throw new IllegalArgumentException("'" + key + "' is not an option of the " + name()
						+ " behaviour" + (defaultOptions().isEmpty() ? ", which takes none"
								: " (it takes " + String.join(", ", defaultOptions().keySet()) + ")"));
			}
		}
	}
}
