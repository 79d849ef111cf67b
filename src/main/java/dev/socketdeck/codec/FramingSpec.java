package dev.socketdeck.codec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * A framing and its options. In JSON and YAML either a label ({@code "line"}, {@code "raw"},
 * {@code "length"}, {@code "stx-etx"}) or an object with the fields below.
 *
 * @param type the framing
 * @param lengthBytes size of the length prefix for {@link Framing#LENGTH}: 1, 2 or 4 (default 2)
 * @param lineEnding what {@link Framing#LINE} appends to outgoing frames (default "\n")
 * @param flushMillis how long a partial line may sit before it is taken as a frame
 * (default 200; 0 disables)
 */
public record FramingSpec(Framing type, int lengthBytes, String lineEnding, int flushMillis) {

	public static final int DEFAULT_LENGTH_BYTES = 2;

	public static final String DEFAULT_LINE_ENDING = "\n";

	public static final int DEFAULT_FLUSH_MILLIS = 200;

	public FramingSpec {
		if (lengthBytes != 1 && lengthBytes != 2 && lengthBytes != 4) {
			throw new IllegalArgumentException("lengthBytes must be 1, 2 or 4, not " + lengthBytes);
		}
		if (!lineEnding.equals("\n") && !lineEnding.equals("\r\n")) {
			throw new IllegalArgumentException("lineEnding must be \"\\n\" or \"\\r\\n\"");
		}
		if (flushMillis < 0 || flushMillis > 60_000) {
			throw new IllegalArgumentException("flushMillis must be between 0 and 60000");
		}
	}

	/** The JSON/YAML object form; absent fields take their defaults. */
	@JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
	static FramingSpec fromJson(@JsonProperty("type") @Nullable Framing type,
			@JsonProperty("lengthBytes") @Nullable Integer lengthBytes,
			@JsonProperty("lineEnding") @Nullable String lineEnding,
			@JsonProperty("flushMillis") @Nullable Integer flushMillis) {
		if (type == null) {
			throw new IllegalArgumentException("framing needs a type: raw, line, length or stx-etx");
		}
		return new FramingSpec(type, lengthBytes != null ? lengthBytes : DEFAULT_LENGTH_BYTES,
				lineEnding != null ? lineEnding : DEFAULT_LINE_ENDING,
				flushMillis != null ? flushMillis : DEFAULT_FLUSH_MILLIS);
	}

	/** A framing with default options. */
	public static FramingSpec of(Framing type) {
		return new FramingSpec(type, DEFAULT_LENGTH_BYTES, DEFAULT_LINE_ENDING, DEFAULT_FLUSH_MILLIS);
	}

	/** Parses a label: raw, line, length (2-byte prefix), length-1, length-2, length-4, stx-etx. */
	@JsonCreator(mode = JsonCreator.Mode.DELEGATING)
	public static FramingSpec parse(String label) {
		String l = label.trim().toLowerCase(java.util.Locale.ROOT);
		if (l.startsWith("length-")) {
			int n;
			try {
				n = Integer.parseInt(l.substring("length-".length()));
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("unknown framing '" + label + "' (use length-1, length-2 or length-4)");
			}
			return new FramingSpec(Framing.LENGTH, n, DEFAULT_LINE_ENDING, DEFAULT_FLUSH_MILLIS);
		}
		return of(Framing.fromLabel(l));
	}

	/** A new decoder for one connection. */
	public FrameDecoder newDecoder(int maxFrameBytes) {
		return switch (this.type) {
			case RAW -> new RawDecoder(maxFrameBytes);
			case LINE -> new LineDecoder(maxFrameBytes);
			case LENGTH -> new LengthDecoder(this.lengthBytes, maxFrameBytes);
			case STX_ETX -> new StxEtxDecoder(maxFrameBytes);
		};
	}

	/** The encoder for outgoing frames. */
	public FrameEncoder encoder() {
		return switch (this.type) {
			case RAW -> payload -> payload;
			case LINE -> new LineEncoder(this.lineEnding);
			case LENGTH -> new LengthEncoder(this.lengthBytes);
			case STX_ETX -> new StxEtxEncoder();
		};
	}

	@Override
	public String toString() {
		return switch (this.type) {
			case LENGTH -> "length-" + this.lengthBytes;
			default -> this.type.label();
		};
	}
}
