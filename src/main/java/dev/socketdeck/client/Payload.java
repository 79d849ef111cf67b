package dev.socketdeck.client;

import java.nio.charset.Charset;

import dev.socketdeck.traffic.Hex;

/**
 * Bytes as the API shows them: decoded as text in the request's charset (bytes that do not
 * decode become U+FFFD) and as exact hex.
 */
public record Payload(int size, String text, String hex) {

	static Payload of(byte[] bytes, Charset charset) {
		return new Payload(bytes.length, new String(bytes, charset), Hex.format(bytes));
	}
}
