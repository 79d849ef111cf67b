package dev.socketdeck.web;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;

/**
 * The live channel: STOMP over plain WebSocket at {@code /ws} (no SockJS), Spring's simple
 * broker for {@code /topic}, {@code /app} for messages to the application. Pages of this app
 * (same origin) and of a dev server on loopback may connect; pages from elsewhere may not.
 * Payloads are JSON through Spring Boot's JacksonJsonMessageConverter, with the app's
 * JsonMapper. What is published is {@link LivePublisher}'s business.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class LiveConfig implements WebSocketMessageBrokerConfigurer {

	static final String ENDPOINT = "/ws";

	/** Heart-beats both ways, so a browser notices a dead connection and reconnects. */
	private static final long[] HEARTBEAT_MS = { 10_000, 10_000 };

	private final TaskScheduler heartbeats;

	LiveConfig(@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler heartbeats) {
		this.heartbeats = heartbeats;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns("http://127.0.0.1:*", "http://localhost:*");
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic").setHeartbeatValue(HEARTBEAT_MS).setTaskScheduler(this.heartbeats);
		registry.setApplicationDestinationPrefixes("/app");
		// messages to one session leave in the order they were published (batches by seq)
		registry.setPreservePublishOrder(true);
	}
}
