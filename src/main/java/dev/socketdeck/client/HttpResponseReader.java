package dev.socketdeck.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads one HTTP/1.x response from a stream: the status line, the header block exactly as it
 * came, and the body, its end found by {@code Transfer-Encoding: chunked}, by
 * {@code Content-Length}, or by the close. Lines may end in CR LF or a bare LF.
 *
 * <pre>
 * HTTP/1.1 200 OK\r\n                  status line
 * Transfer-Encoding: chunked\r\n       headers
 * \r\n                                 end of the header block
 * 5\r\nHello\r\n                       chunk: size in hex, data, CR LF
 * 0\r\n\r\n                            last chunk, no trailers
 * </pre>
 */
final class HttpResponseReader {

	/** The most a status line and headers may take. */
	static final int MAX_HEADER_BYTES = 65536;

	private static final Pattern STATUS = Pattern.compile("(HTTP/\\d(?:\\.\\d)?) (\\d{3})(?: (.*))?");

	private final InputStream in;

	private final long maxBody;

	HttpResponseReader(InputStream in, long maxBody) {
		this.in = in;
		this.maxBody = maxBody;
	}

	/**
	 * One response. {@code noBody} for answers to HEAD. Interim answers (100 Continue, 103 Early
	 * Hints) are skipped: their lines stay in the header block, the final answer is returned.
	 * @throws OutboundException {@code MALFORMED} or {@code TOO_LARGE}
	 * @throws IOException when the connection fails while reading
	 */
	Response read(boolean noBody) throws IOException {
		ByteArrayOutputStream block = new ByteArrayOutputStream();
		List<FetchResult.Header> headers = new ArrayList<>();
		FetchResult.Status status;
		do {
			headers.clear();
			status = head(block, headers);
		}
		while (status.code() / 100 == 1 && status.code() != 101);
		int code = status.code();
		String transfer;
		byte[] body;
		String te = header(headers, "Transfer-Encoding");
		String cl = header(headers, "Content-Length");
		if (noBody || code == 101 || code == 204 || code == 304) {
			transfer = "none";
			body = new byte[0];
		}
		else if (te != null && te.toLowerCase(Locale.ROOT).strip().endsWith("chunked")) {
			transfer = "chunked";
			body = chunked();
		}
		else if (cl != null) {
			transfer = "content-length";
			body = exactly(contentLength(headers));
		}
		else {
			transfer = "until-close";
			body = untilClose();
		}
		return new Response(block.toString(StandardCharsets.ISO_8859_1), status, headers, body, transfer);
	}

	/** A status line and its headers, up to the empty line; every byte copied to {@code block}. */
	private FetchResult.Status head(ByteArrayOutputStream block, List<FetchResult.Header> headers) throws IOException {
		String statusLine = line(block, MAX_HEADER_BYTES - block.size(), null);
		if (statusLine == null) {
			throw malformed(block.size() == 0 ? "the server closed the connection without answering"
					: "the connection closed after an interim answer, before the final one");
		}
		Matcher m = STATUS.matcher(statusLine);
		if (!m.matches()) {
			throw malformed("the answer does not start with an HTTP status line: '" + printable(statusLine) + "'");
		}
		while (true) {
			String h = line(block, MAX_HEADER_BYTES - block.size(), "the header block is longer than " + MAX_HEADER_BYTES + " bytes");
			if (h == null) {
				throw malformed("the connection closed inside the header block");
			}
			if (h.isEmpty()) {
				break;
			}
			if ((h.charAt(0) == ' ' || h.charAt(0) == '\t') && !headers.isEmpty()) {
				FetchResult.Header last = headers.removeLast();
				headers.add(new FetchResult.Header(last.name(), last.value() + " " + h.strip()));
				continue;
			}
			int colon = h.indexOf(':');
			if (colon <= 0) {
				throw malformed("a header line has no name: '" + printable(h) + "'");
			}
			headers.add(new FetchResult.Header(h.substring(0, colon).strip(), h.substring(colon + 1).strip()));
		}
		return new FetchResult.Status(statusLine, m.group(1), Integer.parseInt(m.group(2)),
				(m.group(3) != null) ? m.group(3) : "");
	}

	private byte[] chunked() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		ByteArrayOutputStream ignored = new ByteArrayOutputStream();
		// size lines (with their extensions) have a cap of their own, so a server sending one byte
		// per chunk with a long extension cannot keep the reader busy far past the body's cap
		long overhead = 0;
		while (true) {
			ignored.reset();
			String sizeLine = line(ignored, 1024, "a chunk size line is longer than 1024 bytes");
			overhead += ignored.size();
			long maxOverhead = Math.max(this.maxBody, MAX_HEADER_BYTES);
			if (overhead > maxOverhead) {
				throw new OutboundException(OutboundException.Kind.TOO_LARGE, "the chunk size lines alone are longer than "
						+ maxOverhead + " bytes (socketdeck.outbound.max-response-bytes, at least 64 KiB); nothing was kept");
			}
			if (sizeLine == null) {
				throw malformed("the chunked body ended before its last chunk (" + body.size() + " bytes came)");
			}
			int semi = sizeLine.indexOf(';');
			String hex = ((semi >= 0) ? sizeLine.substring(0, semi) : sizeLine).strip();
			long size;
			try {
				size = Long.parseLong(hex, 16);
			}
			catch (NumberFormatException ex) {
				throw malformed("a chunk size is not hex: '" + printable(sizeLine) + "'");
			}
			if (size < 0) {
				throw malformed("a chunk size is negative: '" + printable(sizeLine) + "'");
			}
			if (size == 0) {
				// trailers, up to the empty line (a close instead is tolerated), all of them within
				// the header block's limit
				ignored.reset();
				String t;
				do {
					t = line(ignored, MAX_HEADER_BYTES - ignored.size(),
							"the trailers are longer than " + MAX_HEADER_BYTES + " bytes");
				}
				while (t != null && !t.isEmpty());
				return body.toByteArray();
			}
			// subtract, not add: a size near Long.MAX_VALUE must not wrap around the cap
			if (size > this.maxBody - body.size()) {
				throw tooLarge();
			}
			copy(body, size);
			int b = this.in.read();
			if (b == '\r') {
				b = this.in.read();
			}
			if (b != '\n') {
				throw malformed("a chunk of " + size + " bytes is not followed by CR LF");
			}
		}
	}

	private long contentLength(List<FetchResult.Header> headers) {
		String value = null;
		for (FetchResult.Header h : headers) {
			if (h.name().equalsIgnoreCase("Content-Length")) {
				if (value != null && !value.equals(h.value())) {
					throw malformed("two different Content-Length headers: " + value + " and " + h.value());
				}
				value = h.value();
			}
		}
		try {
			long n = Long.parseLong(String.valueOf(value));
			if (n >= 0) {
				return n;
			}
		}
		catch (NumberFormatException ex) {
			// below
		}
		throw malformed("Content-Length is not a number of bytes: '" + value + "'");
	}

	private byte[] exactly(long length) throws IOException {
		if (length > this.maxBody) {
			throw tooLarge();
		}
		ByteArrayOutputStream body = new ByteArrayOutputStream((int) Math.min(length, 1 << 20));
		copy(body, length);
		return body.toByteArray();
	}

	private void copy(ByteArrayOutputStream to, long length) throws IOException {
		byte[] buf = new byte[16384];
		long left = length;
		while (left > 0) {
			int n = this.in.read(buf, 0, (int) Math.min(buf.length, left));
			if (n < 0) {
				throw malformed("the body ended after " + (length - left) + " of " + length + " bytes");
			}
			to.write(buf, 0, n);
			left -= n;
		}
	}

	private byte[] untilClose() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buf = new byte[16384];
		int n;
		while ((n = this.in.read(buf)) >= 0) {
			if (body.size() + n > this.maxBody) {
				throw tooLarge();
			}
			body.write(buf, 0, n);
		}
		return body.toByteArray();
	}

	/**
	 * A line without its ending, its bytes (ending included) also copied to {@code block}; null
	 * when the stream ends before the line does. {@code tooLong} is the message when it is longer
	 * than {@code max}; null for the status line, so a long or unterminated one is reported as not
	 * being HTTP.
	 */
	private @Nullable String line(ByteArrayOutputStream block, int max, @Nullable String tooLong) throws IOException {
		boolean first = tooLong == null;
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = this.in.read()) >= 0) {
			block.write(b);
			if (b == '\n') {
				byte[] bytes = line.toByteArray();
				int len = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
				return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
			}
			line.write(b);
			if (line.size() > max) {
				if (first) {
					throw malformed("the answer does not start with an HTTP status line: '"
							+ printable(line.toString(StandardCharsets.ISO_8859_1)) + "'");
				}
				throw malformed(String.valueOf(tooLong));
			}
		}
		if (line.size() > 0 && first) {
			throw malformed("the answer does not start with an HTTP status line: '"
					+ printable(line.toString(StandardCharsets.ISO_8859_1)) + "'");
		}
		return null;
	}

	static @Nullable String header(List<FetchResult.Header> headers, String name) {
		for (FetchResult.Header h : headers) {
			if (h.name().equalsIgnoreCase(name)) {
				return h.value();
			}
		}
		return null;
	}

	/** The first 80 characters, control characters as escapes, "…" when there was more: for messages. */
	static String printable(String s) {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < Math.min(s.length(), 80); i++) {
			char c = s.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				sb.append(String.format("\\x%02x", (int) c));
			}
			else {
				sb.append(c);
			}
		}
		return (s.length() > 80) ? sb + "…" : sb.toString();
	}

	private static OutboundException malformed(String message) {
		return new OutboundException(OutboundException.Kind.MALFORMED, message);
	}

	private OutboundException tooLarge() {
		return Exchanges.tooLarge("the response body", this.maxBody);
	}

	/** A response as read. */
	record Response(String headerBlock, FetchResult.Status status, List<FetchResult.Header> headers, byte[] body,
			String transfer) {
	}
}
