package dev.socketdeck.listener;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;

/**
 * A listener's limits. Absent values take the defaults below.
 *
 * @param maxConnections connections (TCP) or remembered peers (UDP) at once; default 1000
 * @param idleTimeoutMs close a connection (forget a peer) after this long without traffic;
 * default 0, never
 * @param maxFrameBytes the largest frame accepted; default 65536 (64 KiB)
 * @param outboundQueueBytes bytes that may wait to be sent to one connection; a client that
 * stops reading is closed once this fills; default 1048576 (1 MiB)
 */
public record Limits(@Nullable @Min(1) @Max(20_000) Integer maxConnections,
		@Nullable @Min(0) @Max(86_400_000) Long idleTimeoutMs,
		@Nullable @Min(1) @Max(16_777_216) Integer maxFrameBytes,
		@Nullable @Min(1024) @Max(67_108_864) Integer outboundQueueBytes) {

	public static final int DEFAULT_MAX_CONNECTIONS = 1000;

	public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

	public static final int DEFAULT_OUTBOUND_QUEUE_BYTES = 1024 * 1024;

	public static final Limits DEFAULTS = new Limits(null, null, null, null);

	public Limits {
		maxConnections = (maxConnections != null) ? maxConnections : DEFAULT_MAX_CONNECTIONS;
		idleTimeoutMs = (idleTimeoutMs != null) ? idleTimeoutMs : 0L;
		maxFrameBytes = (maxFrameBytes != null) ? maxFrameBytes : DEFAULT_MAX_FRAME_BYTES;
		outboundQueueBytes = (outboundQueueBytes != null) ? outboundQueueBytes : DEFAULT_OUTBOUND_QUEUE_BYTES;
	}
}
