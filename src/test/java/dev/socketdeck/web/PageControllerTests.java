package dev.socketdeck.web;

import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pages: HTML from Thymeleaf that loads the built scripts, the first state rendered on the
 * server, and an unknown listener as a 404 page for people while the API keeps problem+json.
 */
class PageControllerTests extends ApiTestSupport {

	@Test
	void dashboardListsTheListenersAndLoadsItsScript() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		Api.Reply page = this.api.get("/").expect(200);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/dashboard.js\">")
			.contains("href=\"/assets/socketdeck.css\"")
			.contains("id=\"create-form\"")
			.contains("id=\"listeners\"")
			.contains("id=\"live-status\"")
			.contains("data-id=\"" + id + "\"")
			.contains("href=\"/listeners/" + id + "\"")
			.contains("127.0.0.1:" + boundPort(l));
	}

	@Test
	void listenerPageCarriesItsId() {
		String id = tcp("echo", "raw").path("id").asString();
		Api.Reply page = this.api.get("/listeners/" + id).expect(200);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.body()).contains("data-listener=\"" + id + "\"")
			.contains("<script type=\"module\" src=\"/assets/listener.js\">")
			.contains("id=\"traffic-log\"")
			.contains("id=\"connections\"")
			.contains("id=\"send-form\"")
			.contains("id=\"chart\"")
			.contains("running");
	}

	@Test
	void clientsPageLoadsItsScriptAndIsInTheNav() {
		Api.Reply page = this.api.get("/clients").expect(200);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.body()).contains("<script type=\"module\" src=\"/assets/clients.js\">")
			.contains("id=\"session-form\"")
			.contains("id=\"udp-form\"")
			.contains("id=\"fetch-form\"")
			.contains("href=\"/clients\"");
		assertThat(this.api.get("/").expect(200).body()).contains("href=\"/clients\"");
	}

	@Test
	void chatAndDeskPagesLoadTheirScriptsAndRefuseWhatIsNotARoomOrADesk() {
		String room = create("{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"chat\"}"
			.formatted(name("room"))).path("id").asString();
		String desk = create("{\"name\": \"%s\", \"protocol\": \"tcp\", \"port\": 0, \"behaviour\": \"desk\"}"
			.formatted(name("desk"))).path("id").asString();
		assertThat(this.api.get("/chat/" + room).expect(200).body())
			.contains("<script type=\"module\" src=\"/assets/chat.js\">")
			.contains("data-room=\"" + room + "\"");
		assertThat(this.api.get("/desk/" + desk).expect(200).body())
			.contains("<script type=\"module\" src=\"/assets/desk.js\">")
			.contains("data-listener=\"" + desk + "\"");
		String echo = tcp("echo", "raw").path("id").asString();
		assertThat(this.api.get("/chat/" + echo).expect(404).body()).contains("There is no chat room named");
		assertThat(this.api.get("/desk/" + echo).expect(404).body()).contains("is not a support desk");
		assertThat(this.api.get("/desk/no-such-desk").expect(404).body()).contains("There is no listener named");
	}

	@Test
	void unknownListenerIsAnHtmlPageWithStatus404() {
		Api.Reply page = this.api.get("/listeners/no-such-listener").expect(404);
		assertThat(page.contentType()).startsWith("text/html");
		assertThat(page.body()).contains("404").contains("There is no listener named &#39;no-such-listener&#39;.");
	}

	@Test
	void theIdIsTextOnTheErrorPage() {
		Api.Reply page = this.api.get("/listeners/%3Cimg%20src=x%3E").expect(404);
		assertThat(page.body()).doesNotContain("<img").contains("&lt;img src=x&gt;");
	}

	@Test
	void theApiStillAnswersProblemJson() {
		this.api.get("/api/listeners/no-such-listener").problem(404, null, "no-such-listener");
		Api.Reply html = this.api
			.send(HttpRequest.newBuilder(this.api.uri("/api/listeners/no-such-listener")).header("Accept", "text/html").GET());
		assertThat(html.status()).isEqualTo(404);
		assertThat(html.contentType()).doesNotStartWith("text/html");
	}
}
