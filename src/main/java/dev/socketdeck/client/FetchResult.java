package dev.socketdeck.client;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a fetch sent and what came back, byte for byte where it matters.
 *
 * @param id the id for {@code /api/fetch/{id}/body}
 * @param url the URL fetched
 * @param method the method sent
 * @param remoteAddress the address connected to
 * @param tls the TLS session, null for http
 * @param request the exact request bytes written
 * @param status the status line, parsed
 * @param headerBlock the response's status line and headers exactly as received
 * @param headers the headers, in order
 * @param body the decoded body (chunks joined)
 * @param timings how long each step took
 */
public record FetchResult(String id, String url, String method, String remoteAddress, @Nullable Tls tls,
		Payload request, Status status, String headerBlock, List<Header> headers, Body body, Timings timings) {

	/**
	 * @param protocol TLSv1.3, TLSv1.2
	 * @param cipherSuite the suite agreed
	 * @param peer the certificate's subject, when one was sent
	 * @param verified false when {@code insecure} skipped the checks
	 */
	public record Tls(String protocol, String cipherSuite, @Nullable String peer, boolean verified) {
	}

	/** {@code HTTP/1.1 200 OK} and its parts. */
	public record Status(String line, String version, int code, String reason) {
	}

	public record Header(String name, String value) {
	}

	/**
	 * @param size bytes, after chunks were joined
	 * @param contentType the Content-Type header, if any
	 * @param transfer how its end was found: content-length, chunked, until-close, or none
	 * @param binary true when it is not text (then {@code text} is null)
	 * @param text the body as text, in the Content-Type's charset (UTF-8 when none is named)
	 * @param hex the first {@value HttpFetcher#HEX_PREVIEW} bytes as hex
	 * @param hexTruncated true when the body is longer than the hex shows
	 * @param download where to download it as a file
	 */
	public record Body(long size, @Nullable String contentType, String transfer, boolean binary, @Nullable String text,
			String hex, boolean hexTruncated, String download) {
	}

	/**
	 * Milliseconds, to a tenth.
	 * @param resolveMs looking up the host
	 * @param connectMs the TCP connect
	 * @param tlsMs the TLS handshake, null for http
	 * @param firstByteMs from the request written to the first byte of the answer
	 * @param totalMs from the start to the end of the body
	 */
	public record Timings(double resolveMs, double connectMs, @Nullable Double tlsMs, double firstByteMs,
			double totalMs) {
	}
}
