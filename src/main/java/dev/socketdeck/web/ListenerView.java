package dev.socketdeck.web;

import java.time.Instant;
import java.util.Map;

import dev.socketdeck.codec.FramingSpec;
import dev.socketdeck.listener.Limits;
import dev.socketdeck.listener.ListenerInfo;
import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.ListenerState;
import dev.socketdeck.listener.ListenerStats;
import dev.socketdeck.listener.Protocol;
import org.jspecify.annotations.Nullable;

/** A listener as the API shows it: its spec flattened, its state and its counters. */
record ListenerView(String id, Protocol protocol, String host, int port, @Nullable Integer boundPort,
		ListenerState state, @Nullable String reason, Instant since, String behaviour, Map<String, String> options,
		@Nullable FramingSpec framing, String charset, Limits limits, boolean autostart, boolean record,
		boolean declared, ListenerStats stats) {

	static ListenerView of(ListenerInfo info) {
		ListenerSpec s = info.spec();
		return new ListenerView(s.name(), s.protocol(), s.host(), s.port(), info.boundPort(), info.state(),
				info.reason(), info.since(), s.behaviour(), s.options(), s.framing(), s.charset(), s.limits(),
				s.autostart(), s.record(), info.declared(), info.stats());
	}
}
