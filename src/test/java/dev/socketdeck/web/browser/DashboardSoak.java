package dev.socketdeck.web.browser;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "stays fast" measurement of the listener page, run by hand (not part of the suite, whose
 * classes end in Test or Tests):
 *
 * <pre>./mvnw test -Dtest=DashboardSoak -Dsoak.seconds=600 -Dsoak.rate=5000</pre>
 *
 * A loopback client sends {@code soak.rate} line frames a second into a listener while its page
 * is open in Chromium; every 10 s it prints the traffic log's DOM size, the page's JS heap, the
 * event-loop lag and how long typing five characters into the send box takes. The load stops
 * by itself after {@code soak.seconds}.
 */
class DashboardSoak extends BrowserTestSupport {

	@Test
	void listenerPageUnderLoad() throws Exception {
		int seconds = Integer.getInteger("soak.seconds", 60);
		int rate = Integer.getInteger("soak.rate", 5000);
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(url("/api/listeners")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"name\":\"soak\",\"protocol\":\"tcp\",\"port\":0,\"behaviour\":\"discard\",\"framing\":\"line\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(created.statusCode()).isEqualTo(201);
		Matcher m = Pattern.compile("\"boundPort\":(\\d+)").matcher(created.body());
		assertThat(m.find()).isTrue();
		int port = Integer.parseInt(m.group(1));

		this.page.navigate(url("/listeners/soak"));
		this.page.waitForSelector("#live-status");

		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong sent = new AtomicLong();
		Thread load = Thread.ofVirtual().start(() -> {
			try (Socket s = new Socket("127.0.0.1", port)) {
				OutputStream out = s.getOutputStream();
				long t0 = System.nanoTime();
				while (!stop.get()) {
					long due = (System.nanoTime() - t0) * rate / 1_000_000_000L;
					StringBuilder batch = new StringBuilder();
					while (sent.get() < due) {
						batch.append("frame ").append(sent.incrementAndGet()).append(" of the soak\n");
					}
					if (!batch.isEmpty()) {
						out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
					}
					LockSupport.parkNanos(1_000_000); // pacing the load, not synchronisation
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});

		System.out.printf("%6s %10s %10s %12s %10s %10s%n", "t (s)", "frames", "log nodes", "heap (MiB)", "lag (ms)",
				"type (ms)");
		long start = System.nanoTime();
		try {
			for (int t = 10; t <= seconds; t += 10) {
				long wake = start + Duration.ofSeconds(t).toNanos();
				while (System.nanoTime() < wake) {
					LockSupport.parkNanos(wake - System.nanoTime()); // measuring at fixed times
				}
				Object nodes = this.page.evaluate("document.querySelectorAll('#traffic-log *').length");
				Object heap = this.page.evaluate("() => { if (window.gc) gc(); return performance.memory.usedJSHeapSize; }");
				Object lag = this.page.evaluate(
						"new Promise(r => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); })");
				this.page.fill("#send-text", "");
				long k0 = System.nanoTime();
				this.page.type("#send-text", "hello");
				long typeMs = (System.nanoTime() - k0) / 1_000_000;
				System.out.printf("%6d %10d %10s %12.1f %10.1f %10d%n", t, sent.get(), nodes,
						((Number) heap).doubleValue() / (1024 * 1024), ((Number) lag).doubleValue(), typeMs);
			}
		}
		finally {
			stop.set(true);
			load.join(5000);
		}
		screenshot("soak-listener");
	}
}
