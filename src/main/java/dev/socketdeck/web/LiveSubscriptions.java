package dev.socketdeck.web;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionDisconnectEvent;
import org.springframework.web.socket.messaging.SessionSubscribeEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

/**
 * Who watches which live topic: STOMP subscriptions counted per topic, from the sessions'
 * subscribe, unsubscribe and disconnect events. The first subscription to a listener's traffic
 * or stats opens its feed and the end of the last one closes it, under one lock, so a feed exists
 * exactly while someone subscribes; nothing is read or serialised for a topic nobody watches.
 */
@Component
class LiveSubscriptions {

	private final LiveFeeds feeds;

	/** Guarded by this: session id → subscription id → topic. */
	private final Map<String, Map<String, LiveTopic>> sessions = new HashMap<>();

	/** Written holding this; read without it. */
	private final Map<LiveTopic, Integer> counts = new ConcurrentHashMap<>();

	LiveSubscriptions(LiveFeeds feeds) {
		this.feeds = feeds;
	}

	@EventListener
	void on(SessionSubscribeEvent event) {
		Message<byte[]> m = event.getMessage();
		String session = SimpMessageHeaderAccessor.getSessionId(m.getHeaders());
		String subscription = SimpMessageHeaderAccessor.getSubscriptionId(m.getHeaders());
		LiveTopic topic = LiveTopic.parse(SimpMessageHeaderAccessor.getDestination(m.getHeaders()));
		if (session != null && subscription != null && topic != null) {
			subscribed(session, subscription, topic);
		}
	}

	@EventListener
	void on(SessionUnsubscribeEvent event) {
		Message<byte[]> m = event.getMessage();
		String session = SimpMessageHeaderAccessor.getSessionId(m.getHeaders());
		String subscription = SimpMessageHeaderAccessor.getSubscriptionId(m.getHeaders());
		if (session != null && subscription != null) {
			unsubscribed(session, subscription);
		}
	}

	/** Raised when a session ends, whichever way; may come more than once. */
	@EventListener
	void on(SessionDisconnectEvent event) {
		disconnected(event.getSessionId());
	}

	/** Subscriptions to a topic now. */
	int count(LiveTopic topic) {
		return this.counts.getOrDefault(topic, 0);
	}

	/** Subscriptions to a destination now (0 for destinations that are none of ours). */
	int count(String destination) {
		LiveTopic topic = LiveTopic.parse(destination);
		return (topic != null) ? count(topic) : 0;
	}

	synchronized void subscribed(String session, String subscription, LiveTopic topic) {
		// STOMP subscription ids are the client's, unique within its session
		LiveTopic replaced = this.sessions.computeIfAbsent(session, s -> new HashMap<>()).put(subscription, topic);
		if (replaced != null) {
			decrement(replaced);
		}
		if (this.counts.merge(topic, 1, Integer::sum) == 1) {
			this.feeds.open(topic);
		}
	}

	synchronized void unsubscribed(String session, String subscription) {
		Map<String, LiveTopic> subscriptions = this.sessions.get(session);
		LiveTopic topic = (subscriptions != null) ? subscriptions.remove(subscription) : null;
		if (topic != null) {
			decrement(topic);
		}
	}

	synchronized void disconnected(String session) {
		Map<String, LiveTopic> subscriptions = this.sessions.remove(session);
		if (subscriptions != null) {
			subscriptions.values().forEach(this::decrement);
		}
	}

	private void decrement(LiveTopic topic) {
		@Nullable Integer left = this.counts.computeIfPresent(topic, (t, n) -> (n > 1) ? n - 1 : null);
		if (left == null) {
			this.feeds.close(topic);
		}
	}
}
