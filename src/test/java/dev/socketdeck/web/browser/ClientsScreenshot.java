package dev.socketdeck.web.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Makes the README's picture of the clients page, run by hand (not part of the suite, whose
 * classes end in Test or Tests):
 *
 * <pre>./mvnw test -DskipFrontend=false -Dtest=ClientsScreenshot</pre>
 *
 * A greeter, a UDP greeter and a Hello World listener on loopback; a session holds a short
 * dialogue, two datagrams are answered, and the Hello World page is fetched by hand.
 */
class ClientsScreenshot extends BrowserTestSupport {

	@Test
	void clientsPage() throws Exception {
		int greeter = create("greeter", "tcp", "greeter");
		int udp = create("greeter-udp", "udp", "greeter");
		int http = create("hello-http", "tcp", "http");
		this.page.setViewportSize(1280, 1000);
		this.page.navigate(url("/clients"));
		this.page.fill("#session-port", Integer.toString(greeter));
		this.page.click("#session-open");
		assertThat(this.page.locator("#session-log")).containsText("Welcome!");
		this.page.fill("#session-send-text", "Michael");
		this.page.press("#session-send-text", "Enter");
		assertThat(this.page.locator("#session-log")).containsText("Hello, Michael!");
		this.page.fill("#udp-port", Integer.toString(udp));
		this.page.fill("#udp-count", "2");
		this.page.fill("#udp-wait", "300");
		this.page.click("#udp-send");
		assertThat(this.page.locator("#udp-replies tr.udp-reply")).hasCount(2);
		this.page.fill("#fetch-url", "http://127.0.0.1:" + http + "/");
		this.page.click("#fetch-go");
		assertThat(this.page.locator("#fetch-body")).hasText("Hello World");
		this.page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs", "screenshots", "clients.png"))
			.setFullPage(true));
	}

	private int create(String name, String protocol, String behaviour) throws Exception {
		HttpResponse<String> r = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(url("/api/listeners")))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"protocol\":\"" + protocol
						+ "\",\"port\":0,\"behaviour\":\"" + behaviour + "\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		Matcher m = Pattern.compile("\"boundPort\":(\\d+)").matcher(r.body());
		if (!m.find()) {
			throw new IllegalStateException(r.body());
		}
		return Integer.parseInt(m.group(1));
	}
}
