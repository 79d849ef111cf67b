package dev.socketdeck.web.browser;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and the listener page in a real Chromium, against real sockets: what a person
 * does, from creating a listener with the form to kicking a connection.
 */
class DashboardBrowserTests extends BrowserTestSupport {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void createAListenerFromTheFormAndOpenIt() {
		this.page.navigate(url("/"));
		assertThat(this.page.locator("#live-status")).containsText("live");
		this.page.fill("#create-name", "from-form");
		this.page.selectOption("#create-behaviour", "echo");
		this.page.selectOption("#create-framing", "line");
		this.page.click("#create-submit");
		Locator row = this.page.locator("#listeners tr[data-id='from-form']");
		assertThat(row).containsText("running");
		assertThat(this.page.locator("#curl-command")).containsText("curl -s -X POST");
		screenshot("dashboard");
		row.locator("a").first().click();
		this.page.waitForURL("**/listeners/from-form");
		assertThat(this.page.locator("#listener-state")).containsText("running");
		delete("from-form");
	}

	@Test
	void aPortInUseIsShownAtThePortField() throws IOException {
		try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
			this.page.navigate(url("/"));
			this.page.fill("#create-name", "clash");
			this.page.fill("#create-port", Integer.toString(taken.getLocalPort()));
			this.page.click("#create-submit");
			// shown at the port field, which the API names
			assertThat(this.page.locator("#create-port-error")).containsText("already in use");
			screenshot("dashboard-port-in-use");
		}
		assertThat(get("/api/listeners/clash").statusCode()).isEqualTo(404);
	}

	@Test
	void watchSendHexAndKickOnTheListenerPage() throws Exception {
		int port = create("live", "echo", "line");
		this.page.navigate(url("/listeners/live"));
		assertThat(this.page.locator("#live-status")).containsText("live");
		try (Socket client = new Socket()) {
			client.connect(new InetSocketAddress("127.0.0.1", port), 5000);
			client.setSoTimeout(5000);
			InputStream in = client.getInputStream();
			Locator connection = this.page.locator("#connections tr[data-connection]");
			assertThat(connection).hasCount(1);

			// a frame from the socket appears live, as text: markup in it is not markup
			String xss = "<img src=x onerror=alert(1)>";
			AtomicReference<String> dialog = new AtomicReference<>();
			this.page.onDialog(d -> {
				dialog.set(d.message());
				d.dismiss();
			});
			client.getOutputStream().write((xss + "\n").getBytes(StandardCharsets.UTF_8));
			assertThat(readLine(in)).isEqualTo(xss);
			Locator inRow = this.page.locator("#traffic-rows .row").filter(new Locator.FilterOptions().setHasText(xss));
			assertThat(inRow.first()).isVisible();
			assertThat(this.page.locator("#traffic-rows img")).hasCount(0);
			assertThat(dialog.get()).isNull();

			// send from the page; the socket reads it
			this.page.selectOption("#send-mode", "text");
			this.page.fill("#send-text", "hello from the page");
			this.page.press("#send-text", "Enter");
			assertThat(readLine(in)).isEqualTo("hello from the page");
			assertThat(this.page.locator("#traffic-rows .row")
				.filter(new Locator.FilterOptions().setHasText("hello from the page"))
				.first()).isVisible();

			// the hex toggle shows the bytes
			this.page.check("#hex-toggle");
			assertThat(this.page.locator("#traffic-rows .hexdump").first()).isVisible();
			assertThat(this.page.locator("#traffic-rows")).containsText("68 65 6c 6c 6f");
			screenshot("listener");
			this.page.uncheck("#hex-toggle");

			// kick: the client sees the end of the stream and the row goes
			connection.locator("button.kick").click();
			assertThat(in.read()).isEqualTo(-1);
			assertThat(this.page.locator("#connections tr[data-connection]")).hasCount(0);
			assertThat(this.page.locator("#traffic-rows")).containsText("closed by operator");
		}
		delete("live");
	}

	@Test
	void anUnknownListenerIsAReadablePage() {
		com.microsoft.playwright.Response response = this.page.navigate(url("/listeners/no-such-listener"));
		assertThat(response.status()).isEqualTo(404);
		assertThat(this.page.getByRole(AriaRole.HEADING).first()).isVisible();
		assertThat(this.page.locator("body")).containsText("no-such-listener");
		screenshot("listener-404");
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder sb = new StringBuilder();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("closed after '" + sb + "'");
			}
			sb.append((char) b);
		}
		return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
	}

	private int create(String name, String behaviour, String framing) throws Exception {
		HttpResponse<String> r = this.http.send(HttpRequest.newBuilder(URI.create(url("/api/listeners")))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"protocol\":\"tcp\",\"port\":0,"
					+ "\"behaviour\":\"" + behaviour + "\",\"framing\":\"" + framing + "\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
		Matcher m = Pattern.compile("\"boundPort\":(\\d+)").matcher(r.body());
		assertThat(m.find()).isTrue();
		return Integer.parseInt(m.group(1));
	}

	private HttpResponse<String> get(String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url(path))).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void delete(String name) {
		try {
			this.http.send(HttpRequest.newBuilder(URI.create(url("/api/listeners/" + name))).DELETE().build(),
					HttpResponse.BodyHandlers.discarding());
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}
}
