package dev.socketdeck.web;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbound policy from application.yml applies to every outbound path alike, with a 403
 * that names the rule.
 */
@TestPropertySource(properties = "socketdeck.outbound.deny=127.0.0.2/32,*.blocked.test")
class OutboundPolicyApiTests extends ApiTestSupport {

	@Test
	void everyOutboundPathRefusesADeniedAddressNamingTheRule() {
		String rule = "refused by the rule '127.0.0.2/32' in socketdeck.outbound.deny";
		this.api.post("/api/sessions", "{\"host\": \"127.0.0.2\", \"port\": 9}").problem(403, "host", rule);
		this.api.post("/api/tcp/exchange", "{\"host\": \"127.0.0.2\", \"port\": 9, \"text\": \"x\"}")
			.problem(403, "host", rule);
		this.api.post("/api/udp/send", "{\"host\": \"127.0.0.2\", \"port\": 9, \"text\": \"x\"}").problem(403, "host", rule);
		this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.2:9/\"}").problem(403, "host", rule);
	}

	@Test
	void aDeniedHostNameIsRefusedBeforeItIsLookedUp() {
		this.api.post("/api/fetch", "{\"url\": \"http://api.blocked.test/\"}")
			.problem(403, "host", "host 'api.blocked.test' is refused by the rule '*.blocked.test'");
	}

	@Test
	void otherTargetsStillWork() {
		int port = boundPort(tcp("http", "raw"));
		this.api.post("/api/fetch", "{\"url\": \"http://127.0.0.1:%d/\"}".formatted(port)).expect(200);
	}
}
