package dev.socketdeck.web;

import java.nio.charset.StandardCharsets;

import dev.socketdeck.client.ExchangeResult;
import dev.socketdeck.client.ExchangeSpec;
import dev.socketdeck.client.Exchanges;
import dev.socketdeck.client.FetchResult;
import dev.socketdeck.client.FetchSpec;
import dev.socketdeck.client.HttpFetcher;
import dev.socketdeck.client.UdpResult;
import dev.socketdeck.client.UdpSpec;
import jakarta.validation.Valid;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** One-shot outbound requests: a TCP exchange, UDP datagrams, an HTTP fetch over a raw socket. */
@RestController
@RequestMapping("/api")
class OutboundController {

	private final Exchanges exchanges;

	private final HttpFetcher fetcher;

	OutboundController(Exchanges exchanges, HttpFetcher fetcher) {
		this.exchanges = exchanges;
		this.fetcher = fetcher;
	}

	/** Connect, send, collect until the peer closes or {@code waitMs} passes, close. */
	@PostMapping("/tcp/exchange")
	ExchangeResult exchange(@Valid @RequestBody ExchangeSpec spec) {
		return this.exchanges.tcp(spec);
	}

	/** Send datagrams from one socket and collect every reply within the wait. */
	@PostMapping("/udp/send")
	UdpResult udp(@Valid @RequestBody UdpSpec spec) {
		return this.exchanges.udp(spec);
	}

	/** The request written by hand, and the answer: status, header block, body, timings. */
	@PostMapping("/fetch")
	FetchResult fetch(@Valid @RequestBody FetchSpec spec) {
		return this.fetcher.fetch(spec);
	}

	/**
	 * A kept fetch's body as a file. Served as an attachment, sandboxed and unsniffed, so HTML
	 * from elsewhere never runs as this origin's page.
	 */
	@GetMapping("/fetch/{id}/body")
	ResponseEntity<byte[]> body(@PathVariable String id) {
		HttpFetcher.Kept kept = this.fetcher.kept(id);
		MediaType type = MediaType.APPLICATION_OCTET_STREAM;
		if (kept.contentType() != null) {
			try {
				type = MediaType.parseMediaType(kept.contentType());
			}
			catch (InvalidMediaTypeException ex) {
				// served as bytes
			}
		}
		return ResponseEntity.ok()
			.contentType(type)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(fileName(kept.url()), StandardCharsets.UTF_8)
						.build()
						.toString())
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "sandbox")
			.header("Cross-Origin-Resource-Policy", "same-origin")
			.body(kept.body());
	}

	/** The URL's last path segment, or {@code body}. */
	static String fileName(String url) {
		String path = url.replaceFirst("^[a-z]+://[^/]*", "");
		int q = path.indexOf('?');
		if (q >= 0) {
			path = path.substring(0, q);
		}
		String last = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
		return (last.isEmpty() || last.chars().allMatch(c -> c == '.')) ? "body" : last;
	}
}
