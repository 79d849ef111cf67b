package dev.socketdeck.web;

import jakarta.servlet.Filter;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;


/**
 * The live channel: STOMP over plain WebSocket at {@code /ws} (no SockJS), Spring's simple
 * broker for {@code /topic} (and {@code /queue}, behind {@code /user/queue/...} replies to one
 * session), {@code /app} for messages to the application. Pages of this app
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

	/** What may wait for one slow session before it is closed. */
	static final int SEND_BUFFER_LIMIT = 4 * 1024 * 1024;

	private final TaskScheduler heartbeats;

	LiveConfig(@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler heartbeats) {
		this.heartbeats = heartbeats;
	}

	@Override
	public void registerStompEndpoints(StompEndpointRegistry registry) {
		registry.addEndpoint(ENDPOINT).setAllowedOriginPatterns("http://127.0.0.1:*", "http://localhost:*");
		// a session's SENDs are handled in the order they came (chat messages, per sender); by
		// default the inbound channel's threads may take them in any order
		registry.setPreserveReceiveOrder(true);
	}

	@Override
	public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
		// a batch can be a few hundred KiB: let a subscriber be a few batches behind before it is
		// dropped (the feed samples long before that: see TrafficFeed)
		registration.setSendBufferSizeLimit(SEND_BUFFER_LIMIT);
	}

	/**
	 * Declines permessage-deflate by hiding the offer from the server: every subscriber gets the
	 * same batch, and compressing it once per subscriber cost more CPU than sending it (on
	 * loopback, for nothing). Tomcat negotiates extensions itself from the request header, so
	 * a handshake handler's filtering does not stop it; a request without the offer does.
	 */
	@Bean
	FilterRegistrationBean<Filter> uncompressedWebSocket() {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new UncompressedWebSocketFilter());
		registration.addUrlPatterns(ENDPOINT);
		return registration;
	}

	@Override
	public void configureMessageBroker(MessageBrokerRegistry registry) {
		registry.enableSimpleBroker("/topic", "/queue").setHeartbeatValue(HEARTBEAT_MS).setTaskScheduler(this.heartbeats);
		registry.setApplicationDestinationPrefixes("/app");
		// messages to one session leave in the order they were published (batches by seq)
		registry.setPreservePublishOrder(true);
	}
}
