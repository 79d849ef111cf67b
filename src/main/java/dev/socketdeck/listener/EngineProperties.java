package dev.socketdeck.listener;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The engine's configuration, under {@code socketdeck.*} in application.yml.
 *
 * @param dataDir where listeners created at run time are saved (default {@code ./data})
 * @param allowPublicBind let listeners bind to addresses other than loopback (default false)
 * @param maxListeners how many listeners may exist at once (default 64)
 * @param traffic the per-listener traffic log's budget
 * @param listeners listeners declared here; they start with the application
 * @param ioThreads threads that read and write TCP connections (default 0: one per two cores, at
 * least one; the peers a tool like this talks to usually share the machine, and more loops than
 * that made them fight for the cores: at 64 connections on 2 cores, p99 went from 0.75 ms to 4 ms)
 */
@ConfigurationProperties("socketdeck")
public record EngineProperties(@DefaultValue("data") Path dataDir, @DefaultValue("false") boolean allowPublicBind,
		@DefaultValue("64") int maxListeners, @DefaultValue Traffic traffic,
		@Nullable List<ListenerSpec> listeners, @DefaultValue("0") int ioThreads) {

	public EngineProperties {
		listeners = (listeners != null) ? List.copyOf(listeners) : List.of();
		ioThreads = (ioThreads > 0) ? ioThreads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

	/** Defaults everywhere, declaring no listeners; data saved under {@code dataDir}. */
	public static EngineProperties defaults(Path dataDir) {
		return new EngineProperties(dataDir, false, 64, new Traffic(10_000, DataSize.ofMegabytes(8)), List.of(), 0);
	}

	/**
	 * @param maxEvents events kept per listener (default 10000)
	 * @param maxBytes payload bytes kept per listener (default 8MB)
	 */
	public record Traffic(@DefaultValue("10000") int maxEvents, @DefaultValue("8MB") DataSize maxBytes) {
	}
}
