package dev.socketdeck.web.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The chat page and the desk page in real Chromium with real TCP clients: two browsers and a
 * TCP client chatting in one room, and an operator answering two TCP clients privately.
 */
class ChatDeskBrowserTests extends BrowserTestSupport {

	private final List<AutoCloseable> closeAfter = new ArrayList<>();

	@AfterEach
	void cleanUp() throws Exception {
		for (AutoCloseable c : this.closeAfter) {
			c.close();
		}
	}

	/** A line client like nc; reads give up after five seconds. */
	private static final class Nc implements AutoCloseable {

		final Socket socket;

		final BufferedReader in;

		final List<String> lines = new ArrayList<>();

		Nc(int port) throws IOException {
			this.socket = new Socket();
			this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			this.socket.setSoTimeout(5000);
			this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		}

		void send(String line) {
			try {
				this.socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		String await(Predicate<String> wanted) {
			try {
				String line;
				while ((line = this.in.readLine()) != null) {
					this.lines.add(line);
					if (wanted.test(line)) {
						return line;
					}
				}
				return fail("closed; lines: %s", this.lines);
			}
			catch (IOException ex) {
				return fail("no matching line: %s (%s)", this.lines, ex);
			}
		}

		boolean closedByServer() {
			try {
				while (this.in.readLine() != null) {
					// what is left
				}
				return true;
			}
			catch (IOException ex) {
				return ex.getMessage() != null && ex.getMessage().contains("reset");
			}
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}
	}

	private Nc nc(int port) throws IOException {
		Nc c = new Nc(port);
		this.closeAfter.add(c);
		return c;
	}

	private Page join(BrowserContext context, String room, String nick) {
		Page p = context.newPage();
		p.setDefaultTimeout(10_000);
		p.navigate(url("/chat/" + room));
		p.fill("#chat-nick", nick);
		p.click("#chat-join");
		assertThat(p.locator("#chat-me-nick")).hasText(nick);
		return p;
	}

	@Test
	void twoBrowsersAndATcpClientChatInOneRoom() throws Exception {
		int port = createListener("room-b", "tcp", "chat");
		Page anna = join(this.context, "room-b", "anna");
		BrowserContext other = this.context.browser().newContext(
				new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(1280, 800));
		this.closeAfter.add(other::close);
		Page ben = join(other, "room-b", "ben");
		Nc tom = nc(port);
		tom.await(l -> l.contains("What is your nickname?"));
		tom.send("tom");
		tom.await(l -> l.startsWith("Hi tom!"));

		assertThat(anna.locator("#chat-members li")).hasCount(3);
		assertThat(ben.locator("#chat-members li[data-nick='tom']")).hasCount(1);

		anna.fill("#chat-text", "hello from anna");
		anna.press("#chat-text", "Enter");
		assertThat(ben.locator("#chat-messages")).containsText("hello from anna");
		assertThat(tom.await(l -> l.startsWith("[anna]"))).isEqualTo("[anna] hello from anna");

		tom.send("hi from tom");
		assertThat(anna.locator("#chat-messages .chat-msg").last()).containsText("hi from tom");
		assertThat(ben.locator("#chat-messages .chat-msg").last()).containsText("hi from tom");

		ben.fill("#chat-text", "<img src=x onerror=alert(1)> is text");
		ben.press("#chat-text", "Enter");
		assertThat(anna.locator("#chat-messages")).containsText("<img src=x onerror=alert(1)> is text");
		assertThat(anna.locator("#chat-messages img")).hasCount(0);
		assertThat(tom.await(l -> l.startsWith("[ben]"))).isEqualTo("[ben] <img src=x onerror=alert(1)> is text");

		// each message once on each page
		assertThat(anna.locator("#chat-messages .chat-msg", new Page.LocatorOptions().setHasText("hello from anna")))
			.hasCount(1);
		assertThat(ben.locator("#chat-messages .chat-msg", new Page.LocatorOptions().setHasText("hi from tom")))
			.hasCount(1);
		anna.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("chat.png")).setFullPage(true));

		// a taken nickname is refused with the reason
		Page late = other.newPage();
		late.navigate(url("/chat/room-b"));
		late.fill("#chat-nick", "tom");
		late.click("#chat-join");
		assertThat(late.locator("#chat-nick-error")).containsText("the nickname 'tom' is taken");

		// tom leaves; the pages see it
		tom.send("byebye");
		assertThat(anna.locator("#chat-members li")).hasCount(2);
		assertThat(anna.locator("#chat-messages")).containsText("tom left");
	}

	@Test
	void anOperatorAnswersTwoTcpClientsPrivately() throws Exception {
		int port = createListener("desk-b", "tcp", "desk");
		Nc ann = nc(port);
		Nc bob = nc(port);
		ann.await(l -> l.startsWith("Welcome to the support desk."));
		bob.await(l -> l.startsWith("Welcome to the support desk."));
		ann.send("/nick Ann");
		ann.await(l -> l.equals("Thanks, Ann."));
		ann.send("my printer is on fire");

		this.page.navigate(url("/desk/desk-b"));
		Locator rows = this.page.locator("#desk-conversations [data-connection]");
		assertThat(rows).hasCount(2);
		Locator annRow = rows.filter(new Locator.FilterOptions().setHasText("Ann"));
		assertThat(annRow).hasCount(1);
		annRow.click();
		assertThat(this.page.locator("#desk-transcript")).containsText("my printer is on fire");

		// Bob writes while Ann's conversation is open: his unread count rises live
		bob.send("is anyone there?");
		Locator bobRow = rows.filter(new Locator.FilterOptions().setHasNotText("Ann"));
		assertThat(bobRow.locator(".unread")).hasText("1");

		this.page.fill("#desk-reply", "Unplug it, Ann.");
		this.page.press("#desk-reply", "Enter");
		assertThat(ann.await(l -> !l.isEmpty())).isEqualTo("Unplug it, Ann.");
		assertThat(this.page.locator("#desk-transcript")).containsText("Unplug it, Ann.");

		bobRow.click();
		assertThat(bobRow.locator(".unread")).not().isVisible();
		assertThat(this.page.locator("#desk-transcript")).containsText("is anyone there?");
		this.page.fill("#desk-reply", "Yes, Bob.");
		this.page.press("#desk-reply", "Enter");
		assertThat(bob.await(l -> !l.isEmpty())).as("Bob's next line is his own reply, nothing of Ann's")
			.isEqualTo("Yes, Bob.");
		this.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("desk.png")).setFullPage(true));

		this.page.click("#desk-close");
		assertThat(bob.closedByServer()).as("closing the conversation closes Bob's socket").isTrue();
		assertThat(bobRow).containsText("closed");

		annRow.click();
		this.page.fill("#desk-reply", "byebye");
		this.page.press("#desk-reply", "Enter");
		assertThat(ann.await(l -> !l.isEmpty())).isEqualTo("byebye");
		assertThat(ann.closedByServer()).as("byebye from the operator ends Ann's conversation").isTrue();
	}
}
