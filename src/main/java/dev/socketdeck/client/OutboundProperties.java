package dev.socketdeck.client;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Outbound connections, under {@code socketdeck.outbound.*} in application.yml.
 *
 * @param allow targets that may be reached: host names ({@code example.com}, {@code *.lan}), IP
 * addresses and CIDR ranges ({@code 10.0.0.0/8}); empty means any host while the dashboard binds
 * to loopback, and none when it does not (so a dashboard open to the network is not an open proxy)
 * @param deny targets that may never be reached, in the same forms; checked before {@code allow}
 * @param connectTimeout how long a connect may take unless a request asks for less (default 5s)
 * @param maxWait the longest wait a request may ask for (default 30s)
 * @param maxResponseBytes the most bytes one exchange, UDP send or fetch collects (default 4MB)
 * @param maxSessions TCP sessions kept at once, closed ones included (default 32)
 * @param sessionTraffic each session's traffic log budget
 */
@ConfigurationProperties("socketdeck.outbound")
public record OutboundProperties(@Nullable List<String> allow, @Nullable List<String> deny,
		@DefaultValue("5s") Duration connectTimeout, @DefaultValue("30s") Duration maxWait,
		@DefaultValue("4MB") DataSize maxResponseBytes, @DefaultValue("32") int maxSessions,
		@DefaultValue SessionTraffic sessionTraffic) {

	public OutboundProperties {
		allow = (allow != null) ? List.copyOf(allow) : List.of();
		deny = (deny != null) ? List.copyOf(deny) : List.of();
	}

	/** Defaults everywhere: any host, nothing denied. */
	public static OutboundProperties defaults() {
		return new OutboundProperties(List.of(), List.of(), Duration.ofSeconds(5), Duration.ofSeconds(30),
				DataSize.ofMegabytes(4), 32, new SessionTraffic(2000, DataSize.ofMegabytes(1)));
	}

	/**
	 * @param maxEvents events kept per session (default 2000)
	 * @param maxBytes payload bytes kept per session (default 1MB)
	 */
	public record SessionTraffic(@DefaultValue("2000") int maxEvents, @DefaultValue("1MB") DataSize maxBytes) {
	}
}
