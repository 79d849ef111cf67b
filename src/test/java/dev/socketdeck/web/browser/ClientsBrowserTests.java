package dev.socketdeck.web.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /clients} page in a real Chromium against the app's own listeners on loopback: a
 * TCP session holding a dialogue with the greeter, UDP datagrams to the UDP greeter, and a
 * fetch of the Hello World listener by hand.
 */
class ClientsBrowserTests extends BrowserTestSupport {

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void cleanUp() throws Exception {
		HttpResponse<String> sessions = this.http.send(HttpRequest.newBuilder(URI.create(url("/api/sessions"))).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher m = Pattern.compile("\"id\":\"(s\\d+)\"").matcher(sessions.body());
		while (m.find()) {
			this.http.send(HttpRequest.newBuilder(URI.create(url("/api/sessions/" + m.group(1)))).DELETE().build(),
					HttpResponse.BodyHandlers.discarding());
		}
	}

	@Test
	void aSessionToTheGreeterHoldsADialogueInTheLiveLog() throws Exception {
		int port = createListener("greeter-b", "tcp", "greeter");
		this.page.navigate(url("/clients"));
		this.page.fill("#session-port", Integer.toString(port));
		this.page.click("#session-open");

		Locator row = this.page.locator("#sessions tr[data-session]");
		assertThat(row).hasCount(1);
		assertThat(this.page.locator("#session-state")).hasText("open");
		assertThat(this.page.locator("#live-status")).containsText("live");
		Locator log = this.page.locator("#session-log");
		assertThat(log).containsText("Welcome!");

		this.page.fill("#session-send-text", "Michael<b>");
		this.page.press("#session-send-text", "Enter");
		assertThat(log).containsText("Hello, Michael<b>!");
		assertThat(this.page.locator("#session-log b")).hasCount(0);
		screenshot("clients-session");

		this.page.fill("#session-send-text", "exit");
		this.page.press("#session-send-text", "Enter");
		assertThat(this.page.locator("#session-state")).hasText("closed");
		assertThat(this.page.locator("#session-reason")).containsText("the peer closed the connection");
	}

	@Test
	void aRefusedSessionIsAReadableMessage() {
		int free = freePort();
		this.page.navigate(url("/clients"));
		this.page.fill("#session-port", Integer.toString(free));
		this.page.click("#session-open");
		assertThat(this.page.locator("#session-error")).containsText("connection refused by tcp 127.0.0.1:" + free);
		assertThat(this.page.locator("#sessions tr[data-session]")).hasCount(0);
	}

	@Test
	void udpDatagramsToTheGreeterShowAReplyEach() throws Exception {
		int port = createListener("greeter-udp-b", "udp", "greeter");
		this.page.navigate(url("/clients"));
		this.page.fill("#udp-port", Integer.toString(port));
		this.page.fill("#udp-count", "2");
		this.page.fill("#udp-wait", "300");
		this.page.click("#udp-send");
		Locator replies = this.page.locator("#udp-replies tr.udp-reply");
		assertThat(replies).hasCount(2);
		assertThat(replies.first()).containsText("Hello, Michael!");
		assertThat(replies.first()).containsText("127.0.0.1:" + port);
	}

	@Test
	void fetchShowsTheRequestBytesTheHeaderBlockAndTheBodyAndSavesIt() throws Exception {
		int port = createListener("hello-b", "tcp", "http");
		this.page.navigate(url("/clients"));
		this.page.fill("#fetch-url", "http://127.0.0.1:" + port + "/");
		this.page.click("#fetch-go");
		assertThat(this.page.locator("#fetch-request")).containsText("GET / HTTP/1.1");
		assertThat(this.page.locator("#fetch-request")).containsText("Host: 127.0.0.1:" + port);
		assertThat(this.page.locator("#fetch-headers")).containsText("HTTP/1.1 200 OK");
		assertThat(this.page.locator("#fetch-headers")).containsText("Content-Length: 11");
		assertThat(this.page.locator("#fetch-body")).hasText("Hello World");
		assertThat(this.page.locator("#fetch-status")).containsText("200");
		screenshot("clients-fetch");

		Download download = this.page.waitForDownload(() -> this.page.click("#fetch-save"));
		assertThat(new String(java.nio.file.Files.readAllBytes(download.path()))).isEqualTo("Hello World");

		this.page.fill("#fetch-url", "ftp://127.0.0.1/");
		this.page.click("#fetch-go");
		assertThat(this.page.locator("#fetch-url-error")).containsText("the scheme 'ftp' is not supported");
	}

	private static int freePort() {
		try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return s.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}
}
