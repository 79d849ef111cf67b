package dev.socketdeck.behaviour;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The behaviours every SocketDeck has. */
@Configuration(proxyBeanMethods = false)
class BuiltInBehaviours {

	@Bean
	BehaviourFactory echoBehaviour() {
		return EchoBehaviour.factory();
	}

	@Bean
	BehaviourFactory greeterBehaviour() {
		return GreeterBehaviour.factory();
	}

	@Bean
	BehaviourFactory httpBehaviour() {
		return HttpBehaviour.factory();
	}

	@Bean
	BehaviourFactory discardBehaviour() {
		return DiscardBehaviour.factory();
	}
}
