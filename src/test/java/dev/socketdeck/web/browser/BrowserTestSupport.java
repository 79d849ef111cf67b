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

	String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	void screenshot(String name) {
		this.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
	}
}
