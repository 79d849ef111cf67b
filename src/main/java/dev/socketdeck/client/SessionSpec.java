package dev.socketdeck.client;

import dev.socketdeck.codec.FramingSpec;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * A TCP session to open: {@code POST /api/sessions}.
 *
 * @param host a host name or address
 * @param port 1 to 65535
 * @param framing how what arrives is cut into frames and what is sent is framed (default line)
 * @param charset how text is encoded and shown (default UTF-8)
 * @param connectTimeoutMs how long the connect may take (default socketdeck.outbound.connect-timeout)
 */
public record SessionSpec(@NotBlank @Size(max = 253) String host, @NotNull @Min(1) @Max(65535) Integer port,
		@Nullable FramingSpec framing, @Nullable String charset, @Nullable @Min(1) @Max(60000) Integer connectTimeoutMs) {
}
