package dev.socketdeck.web;

import java.nio.charset.Charset;

import dev.socketdeck.listener.InvalidSpecException;
import dev.socketdeck.traffic.Hex;
import org.jspecify.annotations.Nullable;

/**
 * What to send: {@code {"text": "hi"}} in the listener's charset, or {@code {"hex": "68 69"}};
 * framed by the listener's framing (line framing adds the line ending) unless {@code "raw": true}.
 */
record SendRequest(@Nullable String text, @Nullable String hex, @Nullable Boolean raw) {

	byte[] bytes(Charset charset) {
		if ((this.text == null) == (this.hex == null)) {
			throw new InvalidSpecException(this.text == null ? "text" : "hex",
					"give either \"text\" or \"hex\", not " + (this.text == null ? "neither" : "both"));
		}
		if (this.text != null) {
			return this.text.getBytes(charset);
		}
		try {
			return Hex.parse(this.hex);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidSpecException("hex", ex.getMessage());
		}
	}

	boolean isRaw() {
		return Boolean.TRUE.equals(this.raw);
	}
}
