package dev.socketdeck.web;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import dev.socketdeck.listener.ListenerRegistry;
import org.springframework.stereotype.Component;

/**
 * The listeners' traffic and stats feeds that someone subscribes to, opened and closed by
 * {@link LiveSubscriptions} and read by {@link LivePublisher}. A traffic feed opened for a
 * listener starts at its newest event, so a page that loads the history over REST and then
 * applies live batches by sequence number sees every event once.
 */
@Component
class LiveFeeds {

	private final ListenerRegistry registry;

	private final Map<String, TrafficFeed> traffic = new ConcurrentHashMap<>();

	private final Map<String, StatsFeed> stats = new ConcurrentHashMap<>();

	LiveFeeds(ListenerRegistry registry) {
		this.registry = registry;
	}

	/** Someone subscribed to the topic, nobody did before: start reading for it. */
	void open(LiveTopic topic) {
		switch (topic.kind()) {
			case TRAFFIC -> {
				String id = Objects.requireNonNull(topic.listener());
				this.traffic.put(id, new TrafficFeed(id, this.registry));
			}
			case STATS -> {
				String id = Objects.requireNonNull(topic.listener());
				this.stats.put(id, new StatsFeed(id, this.registry, System.nanoTime()));
			}
			case LISTENERS -> {
				// state changes are pushed as they happen, nothing to read
			}
		}
	}

	/** The last subscription to the topic ended: stop reading for it. */
	void close(LiveTopic topic) {
		switch (topic.kind()) {
			case TRAFFIC -> this.traffic.remove(Objects.requireNonNull(topic.listener()));
			case STATS -> this.stats.remove(Objects.requireNonNull(topic.listener()));
			case LISTENERS -> {
				// nothing was read
			}
		}
	}

	Collection<TrafficFeed> traffic() {
		return this.traffic.values();
	}

	Collection<StatsFeed> stats() {
		return this.stats.values();
	}

	/** True while someone subscribes to the listener's traffic, so its log is read. */
	boolean readsTraffic(String listener) {
		return this.traffic.containsKey(listener);
	}

	/** True while someone subscribes to the listener's stats. */
	boolean readsStats(String listener) {
		return this.stats.containsKey(listener);
	}
}
