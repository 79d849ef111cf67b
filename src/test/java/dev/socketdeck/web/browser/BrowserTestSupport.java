package dev.socketdeck.web.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole application on a random loopback port, and a real headless Chromium driven by
 * Playwright: Debian's {@code /usr/bin/chromium} when it is there (what {@code .ci/run}
 * installs), otherwise Playwright's own browser. A missing browser fails these tests; it does
 * not skip them. Screenshots go to {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "socketdeck.listeners=", "socketdeck.data-dir=target/test-data/${random.uuid}",
				"server.address=127.0.0.1" })
abstract class BrowserTestSupport {

	static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Path DEBIAN_CHROMIUM = Path.of("/usr/bin/chromium");

	private static Playwright playwright;

	private static Browser browser;

	@LocalServerPort
	int port;

	BrowserContext context;

	Page page;

	@BeforeAll
	static void launchBrowser() {
		playwright = Playwright.create();
		BrowserType.LaunchOptions options = new BrowserType.LaunchOptions().setHeadless(true)
			.setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
					"--disable-component-update", "--disable-sync", "--no-first-run",
					// lets a measurement collect garbage before reading the heap
					"--js-flags=--expose-gc"));
		if (Files.isExecutable(DEBIAN_CHROMIUM)) {
			options.setExecutablePath(DEBIAN_CHROMIUM);
		}
		browser = playwright.chromium().launch(options);
	}

	@AfterAll
	static void closeBrowser() {
		if (browser != null) {
			browser.close();
		}
		if (playwright != null) {
			playwright.close();
		}
	}

	@BeforeEach
	void openPage() {
		this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
		this.page = this.context.newPage();
		this.page.setDefaultTimeout(10_000);
	}

	@AfterEach
	void closePage() {
		this.context.close();
	}

	private final java.util.List<String> createdListeners = new java.util.ArrayList<>();

	/** Creates a running listener on a free loopback port (deleted after the test); returns its port. */
	int createListener(String name, String protocol, String behaviour) {
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		try {
			java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create(url("/api/listeners")))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"protocol\":\""
						+ protocol + "\",\"port\":0,\"behaviour\":\"" + behaviour + "\"}"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
			java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"boundPort\":(\\d+)").matcher(r.body());
			if (r.statusCode() != 201 || !m.find()) {
				throw new AssertionError("could not create " + name + ": " + r.statusCode() + " " + r.body());
			}
			this.createdListeners.add(name);
			return Integer.parseInt(m.group(1));
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@AfterEach
	void deleteCreatedListeners() throws Exception {
		java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
		for (String name : this.createdListeners) {
			http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url("/api/listeners/" + name))).DELETE().build(),
					java.net.http.HttpResponse.BodyHandlers.discarding());
		}
	}

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	void screenshot(String name) {
		this.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
	}
}
