package dev.socketdeck.codec;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The ways a TCP byte stream is cut into frames. */
public enum Framing {

	/** Whatever one read returns is a frame, like the tutorials' {@code recv(1024)}. */
	RAW("raw"),
	/** Lines ending in LF (CR LF accepted); replies end with the configured line ending. */
	LINE("line"),
	/** A 1, 2 or 4 byte big-endian length prefix, then that many bytes. */
	LENGTH("length"),
	/** 0x02, the payload, 0x03: serial-style devices. */
	STX_ETX("stx-etx");

	private final String label;

	Framing(String label) {
		this.label = label;
	}

	/** The name used in JSON and configuration: raw, line, length, stx-etx. */
	@JsonValue
	public String label() {
		return this.label;
	}

	/** Parses a label, case-insensitively; {@code stx_etx} and {@code stxetx} are accepted too. */
	@JsonCreator
	public static Framing fromLabel(String label) {
		String l = label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
		for (Framing f : values()) {
			if (f.label.equals(l) || f.label.replace("-", "").equals(l)) {
				return f;
			}
		}
		throw new IllegalArgumentException("unknown framing '" + label + "' (use raw, line, length or stx-etx)");
	}

	@Override
	public String toString() {
		return this.label;
	}
}
