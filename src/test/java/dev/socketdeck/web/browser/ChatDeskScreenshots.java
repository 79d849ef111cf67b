package dev.socketdeck.web.browser;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/**
 * Makes the README's pictures of the chat and desk pages, run by hand (not part of the suite,
 * whose classes end in Test or Tests):
 *
 * <pre>./mvnw test -Dtest=ChatDeskScreenshots</pre>
 */
class ChatDeskScreenshots extends BrowserTestSupport {

	@Test
	void chatAndDesk() throws Exception {
		int lobby = createListener("lobby", "tcp", "chat");
		int desk = createListener("desk", "tcp", "desk");
		try (Socket tom = connect(lobby); Socket ann = connect(desk); Socket bob = connect(desk)) {
			Page alice = join(this.context, "alice");
			BrowserContext second = this.context.browser()
				.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800));
			Page ben = join(second, "ben");
			send(tom, "tom");
			assertThat(alice.locator("#chat-members li")).hasCount(3);
			say(alice, "hello from a browser");
			send(tom, "hi! this is nc on port 2401");
			assertThat(alice.locator("#chat-messages")).containsText("hi! this is nc");
			say(ben, "and one from another tab");
			assertThat(alice.locator("#chat-messages")).containsText("and one from another tab");
			alice.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs", "screenshots", "chat.png")));
			second.close();

			send(ann, "/nick Ann");
			send(ann, "my printer prints only question marks");
			send(bob, "hello? is this the support desk?");
			this.page.navigate(url("/desk/desk"));
			Locator rows = this.page.locator("#desk-conversations [data-connection]");
			assertThat(rows).hasCount(2);
			rows.filter(new Locator.FilterOptions().setHasText("Ann")).click();
			this.page.fill("#desk-reply", "Which charset does it use? Try UTF-8.");
			this.page.press("#desk-reply", "Enter");
			assertThat(this.page.locator("#desk-transcript")).containsText("Try UTF-8.");
			send(ann, "that was it, thanks!");
			assertThat(this.page.locator("#desk-transcript")).containsText("that was it");
			assertThat(rows.filter(new Locator.FilterOptions().setHasNotText("Ann")).locator(".unread")).hasText("1");
			this.page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs", "screenshots", "desk.png")));
		}
	}

	private Page join(BrowserContext context, String nick) {
		Page p = context.newPage();
		p.navigate(url("/chat/lobby"));
		p.fill("#chat-nick", nick);
		p.click("#chat-join");
		assertThat(p.locator("#chat-me-nick")).hasText(nick);
		return p;
	}

	private static void say(Page p, String text) {
		p.fill("#chat-text", text);
		p.press("#chat-text", "Enter");
	}

	private static Socket connect(int port) throws Exception {
		Socket s = new Socket();
		s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
		s.setSoTimeout(5000);
		new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
		return s;
	}

	private static void send(Socket s, String line) throws Exception {
		s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
	}
}
