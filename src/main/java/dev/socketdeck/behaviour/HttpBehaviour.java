package dev.socketdeck.behaviour;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;

/**
 * The tutorials' "Hello World" web server: reads one HTTP/1.x request head, answers
 * {@code HTTP/1.1 200 OK} with a configurable body, and closes. A browser shows the body.
 *
 * <pre>
 * GET / HTTP/1.1\r\n          request line: METHOD SP TARGET SP HTTP/1.x
 * Host: 127.0.0.1:8081\r\n    header lines, ignored
 * \r\n                        blank line: the head is complete (LF alone is accepted too)
 * </pre>
 */
final class HttpBehaviour implements Behaviour {

	private static final Pattern REQUEST_LINE = Pattern.compile("[A-Z]{3,10} \\S+ HTTP/1\\.[01]");

	/** Request heads larger than this are answered with 431. */
	private static final int MAX_HEAD = 16 * 1024;

	private final int status;

	private final String contentType;

	private final byte[] body;

	HttpBehaviour(int status, String contentType, byte[] body) {
		this.status = status;
		this.contentType = contentType;
		this.body = body;
	}

	@Override
	public Handler open(Peer peer) {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		boolean[] answered = { false };
		return frame -> {
			if (answered[0]) {
				return;
			}
			head.write(frame, 0, frame.length);
			byte[] bytes = head.toByteArray();
			int end = headEnd(bytes);
			if (end < 0) {
				if (bytes.length > MAX_HEAD) {
					answered[0] = true;
					respond(peer, 431, "Request Header Fields Too Large", "text/plain; charset=utf-8",
							"request head larger than 16 KiB\n".getBytes(StandardCharsets.UTF_8), true);
				}
				return;
			}
			answered[0] = true;
			String text = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
			String requestLine = text.lines().findFirst().orElse("").strip();
			if (!REQUEST_LINE.matcher(requestLine).matches()) {
				respond(peer, 400, "Bad Request", "text/plain; charset=utf-8",
						"not an HTTP/1.x request line\n".getBytes(StandardCharsets.UTF_8), true);
				return;
			}
			respond(peer, this.status, reason(this.status), this.contentType, this.body,
					!requestLine.startsWith("HEAD "));
		};
	}

	/** Index just past the blank line that ends the head, or -1. */
	static int headEnd(byte[] b) {
		for (int i = 0; i < b.length; i++) {
			if (b[i] == '\n') {
				if (i + 1 < b.length && b[i + 1] == '\n') {
					return i + 2;
				}
				if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
					return i + 3;
				}
			}
		}
		return -1;
	}

	private static void respond(Peer peer, int status, String reason, String contentType, byte[] body,
			boolean withBody) {
		String head = "HTTP/1.1 " + status + " " + reason + "\r\n" + "Content-Type: " + contentType + "\r\n"
				+ "Content-Length: " + body.length + "\r\n" + "Connection: close\r\n" + "Server: SocketDeck\r\n\r\n";
		byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
		byte[] out = new byte[h.length + (withBody ? body.length : 0)];
		System.arraycopy(h, 0, out, 0, h.length);
		if (withBody) {
			System.arraycopy(body, 0, out, h.length, body.length);
		}
		peer.sendRaw(out);
		peer.close("response sent");
	}

	private static String reason(int status) {
		return switch (status) {
			case 200 -> "OK";
			case 201 -> "Created";
			case 204 -> "No Content";
			case 400 -> "Bad Request";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 418 -> "I'm a teapot";
			case 500 -> "Internal Server Error";
			case 503 -> "Service Unavailable";
			default -> "Status";
		};
	}

	static BehaviourFactory factory() {
		Map<String, String> defaults = new LinkedHashMap<>();
		defaults.put("body", "Hello World");
		defaults.put("contentType", "text/plain; charset=utf-8");
		defaults.put("status", "200");
		return new SimpleBehaviourFactory("http",
				"reads one HTTP request head, answers HTTP/1.1 200 OK with a body (Hello World) and closes", true, false,
				FramingSpec.of(Framing.RAW), defaults, options -> create(options, defaults));
	}

	private static HttpBehaviour create(Map<String, String> options, Map<String, String> defaults) {
		int status;
		try {
			status = Integer.parseInt(options.getOrDefault("status", defaults.get("status")).strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("option 'status' must be a number like 200");
		}
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("option 'status' must be between 100 and 599");
		}
		String contentType = options.getOrDefault("contentType", defaults.get("contentType"));
		if (contentType.contains("\r") || contentType.contains("\n")) {
			throw new IllegalArgumentException("option 'contentType' must be one line");
		}
		return new HttpBehaviour(status, contentType,
				options.getOrDefault("body", defaults.get("body")).getBytes(StandardCharsets.UTF_8));
	}
}
