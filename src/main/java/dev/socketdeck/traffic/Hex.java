package dev.socketdeck.traffic;

/** Hex text for bytes, and back: {@code "48 69 0a"}. */
public final class Hex {

	private static final char[] DIGITS = "0123456789abcdef".toCharArray();

	private Hex() {
	}

	/** Lower-case hex pairs separated by single spaces; empty for no bytes. */
	public static String format(byte[] bytes) {
		if (bytes.length == 0) {
			return "";
		}
		char[] out = new char[bytes.length * 3 - 1];
		for (int i = 0; i < bytes.length; i++) {
			int b = bytes[i] & 0xff;
			int o = i * 3;
			out[o] = DIGITS[b >>> 4];
			out[o + 1] = DIGITS[b & 0x0f];
			if (o + 2 < out.length) {
				out[o + 2] = ' ';
			}
		}
		return new String(out);
	}

	/**
	 * Parses hex digits in pairs; spaces, tabs, newlines, colons, dashes and {@code 0x}
	 * prefixes between bytes are ignored ({@code "48 69"}, {@code "4869"}, {@code "0x48 0x69"},
	 * {@code "48:69"}).
	 * @throws IllegalArgumentException naming the first bad character and its position
	 */
	public static byte[] parse(String text) {
		byte[] out = new byte[text.length() / 2 + 1];
		int n = 0;
		int i = 0;
		int len = text.length();
		while (i < len) {
			char c = text.charAt(i);
			if (isSeparator(c)) {
				i++;
				continue;
			}
			if (c == '0' && i + 1 < len && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
				i += 2;
				continue;
			}
			int hi = Character.digit(c, 16);
			if (hi < 0) {
				throw new IllegalArgumentException("'" + c + "' at position " + (i + 1) + " is not a hex digit");
			}
			int lo = (i + 1 < len) ? Character.digit(text.charAt(i + 1), 16) : -1;
			if (lo < 0) {
				if (i + 1 < len && !isSeparator(text.charAt(i + 1))) {
					throw new IllegalArgumentException(
							"'" + text.charAt(i + 1) + "' at position " + (i + 2) + " is not a hex digit");
				}
				throw new IllegalArgumentException(
						"hex digits come in pairs; the one at position " + (i + 1) + " has no partner");
			}
			out[n++] = (byte) ((hi << 4) | lo);
			i += 2;
		}
		return java.util.Arrays.copyOf(out, n);
	}

	private static boolean isSeparator(char c) {
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '-' || c == ',';
	}
}
