package dev.socketdeck.client;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;

import dev.socketdeck.traffic.Hex;
import org.jspecify.annotations.Nullable;

/** The request options every outbound path shares, each checked with a message naming its field. */
final class Options {

	private Options() {
	}

	static Charset charset(@Nullable String name) {
		if (name == null || name.isBlank()) {
			return StandardCharsets.UTF_8;
		}
		try {
			return Charset.forName(name.trim());
		}
		catch (IllegalCharsetNameException | UnsupportedCharsetException ex) {
			throw invalid("charset", "'" + name + "' is not a charset this server knows (try UTF-8 or ISO-8859-1)");
		}
	}

	static Duration connectTimeout(@Nullable Integer ms, OutboundProperties properties) {
		if (ms == null) {
			return properties.connectTimeout();
		}
		return wait("connectTimeoutMs", ms, properties);
	}

	/** A wait a request asked for, at most {@code max-wait}. */
	static Duration wait(String field, int ms, OutboundProperties properties) {
		if (ms > properties.maxWait().toMillis()) {
			throw invalid(field, ms + " ms is longer than the " + properties.maxWait().toMillis()
					+ " ms allowed (socketdeck.outbound.max-wait)");
		}
		return Duration.ofMillis(ms);
	}

	/** The bytes of {@code {"text"}} or {@code {"hex"}}: exactly one of them, at most {@code max}. */
	static byte[] payload(@Nullable String text, @Nullable String hex, Charset charset, long max) {
		byte[] bytes = payload(text, hex, charset);
		if (bytes.length > max) {
			throw invalid(text != null ? "text" : "hex", bytes.length + " bytes are more than the " + max
					+ " one request may send (socketdeck.outbound.max-response-bytes)");
		}
		return bytes;
	}

	private static byte[] payload(@Nullable String text, @Nullable String hex, Charset charset) {
		if ((text == null) == (hex == null)) {
			throw invalid(text == null ? "text" : "hex",
					"give either \"text\" or \"hex\", not " + (text == null ? "neither" : "both"));
		}
		if (text != null) {
			return text.getBytes(charset);
		}
		try {
			return Hex.parse(hex);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("hex", String.valueOf(ex.getMessage()));
		}
	}

	static OutboundException invalid(String field, String message) {
		return new OutboundException(OutboundException.Kind.INVALID, field + ": " + message, field);
	}
}
