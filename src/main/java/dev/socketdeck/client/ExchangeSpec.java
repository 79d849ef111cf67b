package dev.socketdeck.client;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A one-shot TCP exchange, the tutorials' {@code client.py}: {@code POST /api/tcp/exchange}.
 * Connects, sends the bytes exactly as given, collects what arrives until the peer closes or
 * {@code waitMs} passes, and closes.
 *
 * @param host a host name or address
 * @param port 1 to 65535
 * @param text what to send, in {@code charset}
 * @param hex or what to send as hex
 * @param waitMs how long to collect the answer (default 1000, at most socketdeck.outbound.max-wait)
 * @param connectTimeoutMs how long the connect may take (default socketdeck.outbound.connect-timeout)
 * @param charset how text is encoded and shown (default UTF-8)
 */
public record ExchangeSpec(@NotBlank @Size(max = 253) String host, @NotNull @Min(1) @Max(65535) Integer port,
		@Nullable String text, @Nullable String hex, @Nullable @Min(0) Integer waitMs,
		@Nullable @Min(1) Integer connectTimeoutMs, @Nullable String charset) {
}
