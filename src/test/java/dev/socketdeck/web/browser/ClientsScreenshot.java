package dev.socketdeck.web.browser;

import java.nio.file.Path;

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
		int greeter = createListener("greeter", "tcp", "greeter");
		int udp = createListener("greeter-udp", "udp", "greeter");
		int http = createListener("hello-http", "tcp", "http");
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
}
