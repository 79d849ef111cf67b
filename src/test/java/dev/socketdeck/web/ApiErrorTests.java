package dev.socketdeck.web;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every error is RFC 9457 problem+json with the right status, a detail that names the problem
 * and, where one field is at fault, that field; and a failed request changes nothing.
 */
class ApiErrorTests extends ApiTestSupport {

	static Stream<Arguments> invalidSpecs() {
		return Stream.of(
				arguments("bad name", """
						{"name": "bad name!", "protocol": "tcp", "behaviour": "echo"}""", "name", "letters, digits"),
				arguments("empty name", """
						{"name": "", "protocol": "tcp", "behaviour": "echo"}""", "name", "name: "),
				arguments("no name", """
						{"protocol": "tcp", "behaviour": "echo"}""", "name", "name: "),
				arguments("port 70000", """
						{"name": "%s", "protocol": "tcp", "port": 70000, "behaviour": "echo"}""", "port", "65535"),
				arguments("port -1", """
						{"name": "%s", "protocol": "tcp", "port": -1, "behaviour": "echo"}""", "port", "port: "),
				arguments("port out of range of a number", """
						{"name": "%s", "protocol": "tcp", "port": 99999999999, "behaviour": "echo"}""", "port",
						"99999999999"),
				arguments("port not a number", """
						{"name": "%s", "protocol": "tcp", "port": "abc", "behaviour": "echo"}""", "port",
						"whole number"),
				arguments("unknown behaviour", """
						{"name": "%s", "protocol": "tcp", "behaviour": "nope"}""", "behaviour",
						"unknown behaviour 'nope'"),
				arguments("no behaviour", """
						{"name": "%s", "protocol": "tcp"}""", "behaviour", "behaviour: "),
				arguments("http over udp", """
						{"name": "%s", "protocol": "udp", "behaviour": "http"}""", "behaviour", "udp"),
				arguments("unknown field", """
						{"name": "%s", "prot": "tcp", "behaviour": "echo"}""", "prot", "unknown field 'prot'"),
				arguments("unknown protocol", """
						{"name": "%s", "protocol": "sctp", "behaviour": "echo"}""", "protocol", "tcp or udp"),
				arguments("no protocol", """
						{"name": "%s", "behaviour": "echo"}""", "protocol", "protocol: "),
				arguments("bad framing label", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "framing": "zigzag"}""", "framing",
						"unknown framing 'zigzag'"),
				arguments("bad framing object", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo",
						 "framing": {"type": "length", "lengthBytes": 3}}""", "framing", "lengthBytes"),
				arguments("udp with length framing", """
						{"name": "%s", "protocol": "udp", "behaviour": "echo", "framing": "length"}""", "framing",
						"raw or line"),
				arguments("bad charset", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "charset": "klingon"}""", "charset",
						"unknown charset 'klingon'"),
				arguments("charset name that is not even legal", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "charset": "no such charset"}""",
						"charset", "unknown charset 'no such charset'"),
				arguments("host that does not resolve", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "host": "no-such-host.invalid"}""",
						"host", "does not resolve"),
				arguments("public bind", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "host": "0.0.0.0"}""", "host",
						"allow-public-bind"),
				arguments("unknown option", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "options": {"colour": "red"}}""",
						"options", "'colour'"),
				arguments("bad limit", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "limits": {"maxConnections": 0}}""",
						"limits.maxConnections", "limits.maxConnections: "),
				arguments("autostart not a boolean", """
						{"name": "%s", "protocol": "tcp", "behaviour": "echo", "autostart": "maybe"}""", "autostart",
						"true or false"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidSpecs")
	void anInvalidSpecIs400NamingTheFieldAndCreatesNothing(String why, String body, String field, String detail) {
		List<String> before = this.api.listenerStates();
		String name = name("invalid");
		this.api.post("/api/listeners", body.formatted(name)).problem(400, field, detail);
		assertThat(this.api.listenerStates()).isEqualTo(before);
		this.api.get("/api/listeners/" + name).problem(404, null, name);
	}

	@Test
	void malformedJsonIs400() {
		List<String> before = this.api.listenerStates();
		this.api.post("/api/listeners", "{\"name\": \"x\", ").problem(400, null, "not valid JSON");
		this.api.post("/api/listeners", "[]").problem(400, null, "should be an object");
		this.api.post("/api/listeners", "").problem(400, null, "needs a JSON body");
		assertThat(this.api.listenerStates()).isEqualTo(before);
	}

	@Test
	void aBodyThatIsNotJsonIs415() {
		this.api
			.send(HttpRequest.newBuilder(this.api.uri("/api/listeners"))
				.header("Content-Type", "text/plain")
				.POST(HttpRequest.BodyPublishers.ofString("name=x")))
			.problem(415, null, "text/plain");
	}

	@Test
	void anUnsupportedMethodIs405() {
		this.api.send(HttpRequest.newBuilder(this.api.uri("/api/listeners")).PUT(HttpRequest.BodyPublishers.noBody()))
			.problem(405, null, "PUT");
	}

	@Test
	void anUnknownApiPathIs404() {
		this.api.get("/api/nothing-here").problem(404, null, "api/nothing-here");
	}

	@Test
	void aDuplicateNameIs409() {
		JsonNode first = tcp("echo", "raw");
		String name = first.path("id").asString();
		List<String> before = this.api.listenerStates();
		this.api.post("/api/listeners", """
				{"name": "%s", "protocol": "udp", "behaviour": "discard"}""".formatted(name))
			.problem(409, "name", "'" + name + "' already exists");
		assertThat(this.api.listenerStates()).isEqualTo(before);
		JsonNode still = this.api.get("/api/listeners/" + name).expect(200).json();
		assertThat(still.path("protocol").asString()).isEqualTo("tcp");
		assertThat(still.path("boundPort").asInt()).isEqualTo(first.path("boundPort").asInt());
	}

	@Test
	void aTcpPortInUseIs409AndLeavesNoListener() throws IOException {
		try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			List<String> before = this.api.listenerStates();
			String name = name("taken");
			this.api.post("/api/listeners", """
					{"name": "%s", "protocol": "tcp", "port": %d, "behaviour": "echo"}"""
				.formatted(name, held.getLocalPort())).problem(409, "port", "already in use", "" + held.getLocalPort());
			assertThat(this.api.listenerStates()).isEqualTo(before);
			this.api.get("/api/listeners/" + name).problem(404, null, name);
		}
	}

	@Test
	void aUdpPortInUseIs409AndLeavesNoListener() throws IOException {
		try (DatagramSocket held = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			List<String> before = this.api.listenerStates();
			String name = name("taken-udp");
			this.api.post("/api/listeners", """
					{"name": "%s", "protocol": "udp", "port": %d, "behaviour": "echo"}"""
				.formatted(name, held.getLocalPort())).problem(409, "port", "already in use");
			assertThat(this.api.listenerStates()).isEqualTo(before);
		}
	}

	@Test
	void startingOnAPortInUseIs409AndTheListenerSaysWhy() throws IOException {
		try (ServerSocket held = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			String name = name("later");
			create("""
					{"name": "%s", "protocol": "tcp", "port": %d, "behaviour": "echo", "autostart": false}"""
				.formatted(name, held.getLocalPort()));
			this.api.post("/api/listeners/" + name + "/start").problem(409, "port", "already in use");
			JsonNode l = this.api.get("/api/listeners/" + name).expect(200).json();
			assertThat(l.path("state").asString()).isEqualTo("failed");
			assertThat(l.path("reason").asString()).contains("already in use");
		}
	}

	@Test
	void unknownListenerIs404OnEveryEndpoint() {
		String id = name("ghost");
		String at = "/api/listeners/" + id;
		String send = "{\"text\": \"hi\"}";
		this.api.get(at).problem(404, null, id);
		this.api.delete(at).problem(404, null, id);
		this.api.post(at + "/start").problem(404, null, id);
		this.api.post(at + "/stop").problem(404, null, id);
		this.api.get(at + "/stats").problem(404, null, id);
		this.api.get(at + "/connections").problem(404, null, id);
		this.api.post(at + "/connections/c1/send", send).problem(404, null, id);
		this.api.delete(at + "/connections/c1").problem(404, null, id);
		this.api.post(at + "/broadcast", send).problem(404, null, id);
		this.api.get(at + "/traffic").problem(404, null, id);
		this.api.getEventStream(at + "/traffic/stream").problem(404, null, id);
		this.api.get(at + "/traffic/stream").problem(404, null, id);
	}

	@Test
	void unknownConnectionIs404() {
		JsonNode l = tcp("echo", "raw");
		String at = "/api/listeners/" + l.path("id").asString() + "/connections/c999";
		this.api.post(at + "/send", "{\"text\": \"hi\"}").problem(404, null, "c999");
		this.api.delete(at).problem(404, null, "c999");
	}

	@Test
	void badSendBodiesAre400NamingTheField() {
		JsonNode l = tcp("echo", "line");
		String id = l.path("id").asString();
		try (TcpClient c = TcpClient.connect(boundPort(l))) {
			assertThat(c.roundTrip("ping\n")).isEqualTo("ping\n");
			String send = "/api/listeners/" + id + "/connections/" + onlyConnection(id) + "/send";
			String broadcast = "/api/listeners/" + id + "/broadcast";
			for (String at : List.of(send, broadcast)) {
				this.api.post(at, "{\"hex\": \"G4\"}").problem(400, "hex", "'G' at position 1 is not a hex digit");
				this.api.post(at, "{\"hex\": \"4G\"}").problem(400, "hex", "'G' at position 2 is not a hex digit");
				this.api.post(at, "{\"hex\": \"486\"}").problem(400, "hex", "pairs");
				this.api.post(at, "{\"text\": \"hi\", \"hex\": \"48\"}").problem(400, "hex", "not both");
				this.api.post(at, "{}").problem(400, "text", "neither");
				this.api.post(at, "{\"raw\": true}").problem(400, "text", "neither");
				this.api.post(at, "{\"txt\": \"hi\"}").problem(400, "txt", "unknown field 'txt'");
				this.api.post(at, "{\"text\": [\"hi\"]}").problem(400, "text", "a string");
				this.api.post(at, "{\"text\": \"hi\", \"raw\": \"yes\"}").problem(400, "raw", "true or false");
				this.api.post(at, "{\"text\": ").problem(400, null, "not valid JSON");
				this.api.post(at, "").problem(400, null, "needs a JSON body");
			}
			// none of those reached the client: the next bytes it reads are these
			this.api.post(send, "{\"text\": \"ok\"}").expect(200);
			assertThat(c.readText(3)).isEqualTo("ok\n");
		}
	}

	@Test
	void trafficQueryLimitsAre400NamingTheParameter() {
		String at = "/api/listeners/" + tcp("echo", "raw").path("id").asString() + "/traffic";
		this.api.get(at + "?limit=5000").problem(400, "limit", "limit", "1000");
		this.api.get(at + "?limit=0").problem(400, "limit", "limit");
		this.api.get(at + "?after=-1").problem(400, "after", "after");
	}

	@Test
	void trafficQueryValuesThatAreNotNumbersAre400NamingTheParameter() {
		String at = "/api/listeners/" + tcp("echo", "raw").path("id").asString() + "/traffic";
		this.api.get(at + "?limit=abc").problem(400, "limit", "limit", "abc");
		this.api.get(at + "?after=abc").problem(400, "after", "after", "abc");
		this.api.getEventStream(at + "/stream", "Last-Event-ID", "abc")
			.problem(400, "Last-Event-ID", "Last-Event-ID", "abc");
		this.api.getEventStream(at + "/stream?after=-1").problem(400, "after", "after");
	}
}
