package dev.socketdeck.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.socketdeck.traffic.Hex;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * HTTP over a raw socket, the tutorials' hand-written GET: parses the URL, connects (through
 * {@link SSLSocket} for https, verifying the certificate unless asked not to), writes the
 * request line and headers byte by byte, reads the answer to its end, and keeps the last few
 * bodies for download.
 */
@Component
public class HttpFetcher implements DisposableBean {

	static final int DEFAULT_TIMEOUT_MS = 10_000;

	/** Bytes of a body shown as hex in the result. */
	static final int HEX_PREVIEW = 4096;

	/** Fetches whose bodies are kept for download. */
	static final int KEPT = 32;

	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	private final TargetPolicy policy;

	private final OutboundProperties properties;

	private final Watchdog watchdog = new Watchdog("fetch-watchdog");

	private final Map<String, Kept> kept = new LinkedHashMap<>();

	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicLong nextId = new AtomicLong(1);

	public HttpFetcher(TargetPolicy policy, OutboundProperties properties) {
		this.policy = policy;
		this.properties = properties;
	}

	/**
	 * A kept body, what the server said it is and where it came from: only what the download
	 * needs, not the whole result with its text and hex copies.
	 */
	public record Kept(String id, String url, @Nullable String contentType, byte[] body) {
	}

	public FetchResult fetch(FetchSpec spec) {
		Request request = Request.of(spec);
		long max = this.properties.maxResponseBytes().toBytes();
		if (request.bytes().length > max) {
			throw Options.invalid("body", "a request of " + request.bytes().length + " bytes is more than the " + max
					+ " a fetch may send (socketdeck.outbound.max-response-bytes)");
		}
		Duration timeout = Options.wait("timeoutMs", (spec.timeoutMs() != null) ? spec.timeoutMs() : DEFAULT_TIMEOUT_MS,
				this.properties);
		boolean insecure = Boolean.TRUE.equals(spec.insecure());
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		Target target = this.policy.check(request.host(), request.port(), timeout);
		double resolveMs = Connector.millisSince(start);
		long connectStart = System.nanoTime();
		Socket socket = Connector.connect(target, remaining(deadline, timeout));
		double connectMs = Connector.millisSince(connectStart);
		Watchdog.Guard guard = this.watchdog.guard(socket, deadline - System.nanoTime());
		try {
			Socket s = socket;
			FetchResult.Tls tls = null;
			Double tlsMs = null;
			if (request.https()) {
				long tlsStart = System.nanoTime();
				SSLSocket ssl = handshake(socket, request, target, insecure);
				tlsMs = Connector.millisSince(tlsStart);
				tls = new FetchResult.Tls(ssl.getSession().getProtocol(), ssl.getSession().getCipherSuite(),
						peer(ssl), !insecure);
				s = ssl;
			}
			byte[] bytes = request.bytes();
			OutputStream out = s.getOutputStream();
			out.write(bytes);
			out.flush();
			long sentAt = System.nanoTime();
			FirstByte in = new FirstByte(s.getInputStream());
			HttpResponseReader.Response response = new HttpResponseReader(new BufferedInputStream(in, 16384),
					this.properties.maxResponseBytes().toBytes())
				.read(request.method().equals("HEAD"));
			double firstByteMs = Math.round((in.firstAt - sentAt) / 100_000.0) / 10.0;
			String id = "f" + this.nextId.getAndIncrement();
			FetchResult result = new FetchResult(id, request.url(), request.method(),
					Target.hostPort(socket.getRemoteSocketAddress()), tls,
					Payload.of(bytes, StandardCharsets.UTF_8), response.status(), response.headerBlock(),
					response.headers(), body(id, response),
					new FetchResult.Timings(resolveMs, connectMs, tlsMs, firstByteMs, Connector.millisSince(start)));
			keep(new Kept(id, result.url(), result.body().contentType(), response.body()));
			return result;
		}
		catch (IOException ex) {
			if (guard.fired()) {
				throw new OutboundException(OutboundException.Kind.TIMEOUT,
						"no complete answer from " + request.url() + " within " + timeout.toMillis() + " ms (timeoutMs)");
			}
			if (ex instanceof SSLException ssl) {
				throw tlsFailure(request, insecure, ssl);
			}
			String m = String.valueOf(ex.getMessage());
			throw new OutboundException(OutboundException.Kind.RESET,
					(m.toLowerCase(Locale.ROOT).contains("reset") ? "the server reset the connection"
							: "the connection failed: " + m) + " (" + request.url() + ")");
		}
		finally {
			guard.cancel();
			Connector.closeQuietly(socket);
		}
	}

	/** A kept fetch, for its body. */
	public Kept kept(String id) {
		this.lock.lock();
		try {
			Kept k = this.kept.get(id);
			if (k == null) {
				throw new NoSuchSessionException("there is no fetch '" + id + "' (the last " + KEPT + " are kept)");
			}
			return k;
		}
		finally {
			this.lock.unlock();
		}
	}

	private void keep(Kept k) {
		long budget = 8 * this.properties.maxResponseBytes().toBytes();
		this.lock.lock();
		try {
			this.kept.put(k.id(), k);
			long bytes = this.kept.values().stream().mapToLong(v -> v.body().length).sum();
			for (Iterator<Kept> it = this.kept.values().iterator(); it.hasNext() && this.kept.size() > 1
					&& (this.kept.size() > KEPT || bytes > budget);) {
				bytes -= it.next().body().length;
				it.remove();
			}
		}
		finally {
			this.lock.unlock();
		}
	}

	private static Duration remaining(long deadline, Duration timeout) {
		long left = deadline - System.nanoTime();
		return (left > 0) ? Duration.ofNanos(left) : Duration.ofMillis(1);
	}

	private static SSLSocket handshake(Socket plain, Request request, Target target, boolean insecure)
			throws IOException {
		SSLSocketFactory factory = insecure ? TrustAll.FACTORY : (SSLSocketFactory) SSLSocketFactory.getDefault();
		// the host name (not the address) gives SNI and the name the certificate must carry
		SSLSocket ssl = (SSLSocket) factory.createSocket(plain, request.host(), target.port(), true);
		SSLParameters params = ssl.getSSLParameters();
		if (!insecure) {
			params.setEndpointIdentificationAlgorithm("HTTPS");
		}
		ssl.setSSLParameters(params);
		ssl.startHandshake();
		return ssl;
	}

	private static OutboundException tlsFailure(Request request, boolean insecure, SSLException ex) {
		String m = String.valueOf(ex.getMessage());
		String hint = "";
		if (!insecure && (m.contains("PKIX") || m.contains("certification path") || m.contains("subject alternative")
				|| m.contains("No name matching"))) {
			hint = "; the certificate is not trusted here: add \"insecure\": true to skip the check (like curl -k)";
		}
		return new OutboundException(OutboundException.Kind.TLS,
				"TLS with " + request.host() + ":" + request.port() + " failed: " + m + hint);
	}

	private static @Nullable String peer(SSLSocket ssl) {
		try {
			return ssl.getSession().getPeerPrincipal().getName();
		}
		catch (SSLPeerUnverifiedException ex) {
			return null;
		}
	}

	private static FetchResult.Body body(String id, HttpResponseReader.Response response) {
		byte[] body = response.body();
		String contentType = HttpResponseReader.header(response.headers(), "Content-Type");
		String text = text(body, contentType);
		byte[] preview = (body.length > HEX_PREVIEW) ? java.util.Arrays.copyOf(body, HEX_PREVIEW) : body;
		return new FetchResult.Body(body.length, contentType, response.transfer(), text == null, text,
				Hex.format(preview), body.length > HEX_PREVIEW, "/api/fetch/" + id + "/body");
	}

	/** The body as text when it is text: by its type, or, with none, when it decodes as UTF-8 without NULs. */
	static @Nullable String text(byte[] body, @Nullable String contentType) {
		Charset charset = StandardCharsets.UTF_8;
		boolean declaredText = false;
		if (contentType != null) {
			String ct = contentType.toLowerCase(Locale.ROOT);
			String type = ct.split(";", 2)[0].strip();
			declaredText = type.startsWith("text/") || type.endsWith("json") || type.endsWith("xml")
					|| type.endsWith("javascript") || type.equals("application/x-www-form-urlencoded");
			int at = ct.indexOf("charset=");
			if (at >= 0) {
				String name = ct.substring(at + 8).split(";", 2)[0].strip().replace("\"", "");
				try {
					charset = Charset.forName(name);
				}
				catch (IllegalArgumentException ex) {
					// an unknown charset: UTF-8
				}
			}
			if (!declaredText && !type.isEmpty()) {
				return null;
			}
		}
		if (declaredText) {
			return new String(body, charset);
		}
		for (byte b : body) {
			if (b == 0) {
				return null;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(body))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

	@Override
	public void destroy() {
		this.watchdog.shutdown();
	}

	/** Notes when the first byte of the answer arrives. */
	private static final class FirstByte extends FilterInputStream {

		long firstAt;

		FirstByte(InputStream in) {
			super(in);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = super.read(b, off, len);
			if (n > 0 && this.firstAt == 0) {
				this.firstAt = System.nanoTime();
			}
			return n;
		}
	}

	/** For {@code insecure}: trusts any certificate, like curl -k. */
	private static final class TrustAll implements X509TrustManager {

		static final SSLSocketFactory FACTORY = factory();

		private static SSLSocketFactory factory() {
			try {
				SSLContext context = SSLContext.getInstance("TLS");
				context.init(null, new TrustManager[] { new TrustAll() }, new SecureRandom());
				return context.getSocketFactory();
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("no TLS in this JDK", ex);
			}
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) {
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}
	}

	/** Host and port from a URL's authority, for hosts {@link URI} will not parse. */
	record Authority(String host, int port) {

		static Authority parse(String authority, String url) {
			String hp = authority.substring(authority.lastIndexOf('@') + 1);
			int colon = hp.lastIndexOf(':');
			if (colon < 0 || hp.endsWith("]")) {
				return new Authority(hp, -1);
			}
			try {
				return new Authority(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
			}
			catch (NumberFormatException ex) {
				throw Options.invalid("url", "'" + url + "' has a port that is not a number");
			}
		}
	}

	/** The request to write, checked. */
	record Request(String url, boolean https, String host, int port, String method, byte[] bytes) {

		static Request of(FetchSpec spec) {
			URI uri;
			try {
				uri = new URI(spec.url().strip());
			}
			catch (URISyntaxException ex) {
				throw Options.invalid("url", "'" + spec.url() + "' is not a URL: " + ex.getReason());
			}
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : null;
			if (scheme == null) {
				throw Options.invalid("url", "'" + spec.url() + "' has no scheme: write http://... or https://...");
			}
			if (!spec.url().contains("://")) {
				// "localhost:8080/x" parses as the scheme "localhost"
				throw Options.invalid("url", "'" + spec.url() + "' has no scheme: write http://... or https://...");
			}
			if (!scheme.equals("http") && !scheme.equals("https")) {
				throw Options.invalid("url", "the scheme '" + scheme + "' is not supported: SocketDeck fetches http and https");
			}
			String host = uri.getHost();
			int uriPort = uri.getPort();
			if (host == null && uri.getRawAuthority() != null) {
				// java.net.URI gives no host for names it finds irregular, like Docker's "my_service"
				Authority a = Authority.parse(uri.getRawAuthority(), spec.url());
				host = a.host();
				uriPort = a.port();
			}
			if (host == null || host.isEmpty()) {
				throw Options.invalid("url", "'" + spec.url() + "' has no host");
			}
			if (uriPort == 0 || uriPort > 65535) {
				throw Options.invalid("url", "the port " + uriPort + " is not between 1 and 65535");
			}
			// an IPv6 literal comes in brackets, kept for the Host header and the URL
			String bare = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			boolean https = scheme.equals("https");
			int port = (uriPort > 0) ? uriPort : https ? 443 : 80;
			String method = (spec.method() != null && !spec.method().isBlank())
					? spec.method().strip().toUpperCase(Locale.ROOT) : "GET";
			if (!TOKEN.matcher(method).matches()) {
				throw Options.invalid("method", "'" + spec.method() + "' is not an HTTP method");
			}
			String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty()) ? "/" : uri.getRawPath();
			if (uri.getRawQuery() != null) {
				path += "?" + uri.getRawQuery();
			}
			byte[] body = (spec.body() != null) ? spec.body().getBytes(StandardCharsets.UTF_8) : null;
			boolean defaultPort = port == (https ? 443 : 80);
			Map<String, String> headers = new LinkedHashMap<>();
			headers.put("Host", host + (defaultPort ? "" : ":" + port));
			headers.put("User-Agent", "SocketDeck");
			headers.put("Accept", "*/*");
			headers.put("Connection", "close");
			if (body != null) {
				headers.put("Content-Length", Integer.toString(body.length));
			}
			if (spec.headers() != null) {
				for (Map.Entry<String, String> h : spec.headers().entrySet()) {
					String name = h.getKey().strip();
					String value = h.getValue();
					if (!TOKEN.matcher(name).matches()) {
						throw Options.invalid("headers", "'" + name + "' is not a header name");
					}
					if (value == null) {
						throw Options.invalid("headers", "the value of '" + name + "' is null; give a string");
					}
					if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
						throw Options.invalid("headers", "the value of '" + name + "' has a line break or NUL in it");
					}
					headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
					headers.put(name, value);
				}
			}
			StringBuilder head = new StringBuilder();
			head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
			headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
			head.append("\r\n");
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			bytes.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
			if (body != null) {
				bytes.writeBytes(body);
			}
			String url = scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
			return new Request(url, https, bare, port, method, bytes.toByteArray());
		}
	}
}
