package dev.socketdeck.client;

import java.util.Map;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request to write by hand over a raw socket: {@code POST /api/fetch}.
 *
 * @param url http:// or https://, host, optional port, path and query
 * @param method GET unless given; any token (HEAD, POST, OPTIONS, ...)
 * @param headers extra headers; one named like a default (Host, User-Agent, Accept, Connection)
 * replaces it
 * @param body a request body, sent as UTF-8 with its Content-Length
 * @param insecure skip certificate and host name checks for https, like curl's {@code -k}
 * @param timeoutMs how long the whole fetch may take (default 10000, at most
 * socketdeck.outbound.max-wait)
 */
public record FetchSpec(@NotBlank @Size(max = 8192) String url, @Nullable @Size(max = 32) String method,
		@Nullable Map<String, String> headers, @Nullable String body, @Nullable Boolean insecure,
		@Nullable @Min(1) Integer timeoutMs) {
}
