package dev.socketdeck.client;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Datagrams to send from one socket, and how long to collect the replies:
 * {@code POST /api/udp/send}.
 *
 * @param host a host name or address
 * @param port 1 to 65535
 * @param text the datagram's payload, in {@code charset}
 * @param hex or the payload as hex
 * @param localPort the local port to send from (default: any free one)
 * @param waitMs how long to wait for replies after the last send (default 1000, at most
 * socketdeck.outbound.max-wait)
 * @param count how many datagrams (default 1, at most 1000)
 * @param intervalMs time between them (default 0)
 * @param charset how text is encoded and shown (default UTF-8)
 */
public record UdpSpec(@NotBlank @Size(max = 253) String host, @NotNull @Min(1) @Max(65535) Integer port,
		@Nullable String text, @Nullable String hex, @Nullable @Min(1) @Max(65535) Integer localPort,
		@Nullable @Min(0) Integer waitMs, @Nullable @Min(1) @Max(1000) Integer count,
		@Nullable @Min(0) @Max(10000) Integer intervalMs, @Nullable String charset) {
}
