package dev.socketdeck.behaviour;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Every behaviour a listener can have, by name. */
@Component
public class Behaviours {

	private final Map<String, BehaviourFactory> byName = new LinkedHashMap<>();

	public Behaviours(List<BehaviourFactory> factories) {
		for (BehaviourFactory f : factories) {
			this.byName.put(f.name(), f);
		}
	}

	/** The built-in behaviours, for code that runs without Spring (tests, tools). */
	public static Behaviours builtIn() {
		return new Behaviours(new ArrayList<>(List.of(EchoBehaviour.factory(), GreeterBehaviour.factory(),
				HttpBehaviour.factory(), DiscardBehaviour.factory())));
	}

	public @Nullable BehaviourFactory find(String name) {
		return this.byName.get(name);
	}

	public Collection<BehaviourFactory> all() {
		return this.byName.values();
	}

	public String names() {
		return String.join(", ", this.byName.keySet());
	}
}
