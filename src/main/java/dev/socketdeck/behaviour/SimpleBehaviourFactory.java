package dev.socketdeck.behaviour;

import java.util.Map;
import java.util.function.Function;

import dev.socketdeck.codec.FramingSpec;

/**
 * A behaviour factory described by its facts and a function from (known) options to the
 * behaviour; unknown options are refused before the function sees them.
 */
record SimpleBehaviourFactory(String name, String description, boolean supportsTcp, boolean supportsUdp,
		FramingSpec defaultFraming, Map<String, String> defaultOptions,
		Function<Map<String, String>, Behaviour> maker) implements BehaviourFactory {

	SimpleBehaviourFactory {
		defaultOptions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(defaultOptions));
	}

	@Override
	public Behaviour create(Map<String, String> options) {
		checkKnown(options);
		return this.maker.apply(options);
	}
}
