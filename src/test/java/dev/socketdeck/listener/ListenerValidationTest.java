package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.Map;

import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.codec.FramingSpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

class ListenerValidationTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private final ListenerRegistry registry = this.engine.registry();

	private static ListenerSpec tcp(String behaviour) {
		return ListenerSpec.of("x", Protocol.TCP, 0, behaviour);
	}

	private static ListenerSpec udp(String behaviour) {
		return ListenerSpec.of("x", Protocol.UDP, 0, behaviour);
	}

	private static ListenerSpec withHost(String host) {
		return new ListenerSpec("x", Protocol.TCP, host, 0, "echo", null, null, null, null, null, null);
	}

	private static ListenerSpec withCharset(String charset) {
		return new ListenerSpec("x", Protocol.TCP, null, 0, "echo", null, null, charset, null, null, null);
	}

	/** Asserts the spec is refused naming the field, and that nothing was created or published. */
	private void assertInvalid(ListenerSpec spec, String field, String message) {
		assertInvalid(() -> this.registry.create(spec), field, message);
	}

	private void assertInvalid(ThrowingCallable create, String field, String message) {
		int events = this.engine.events().size();
		assertThatExceptionOfType(InvalidSpecException.class).isThrownBy(create)
			.satisfies(ex -> assertThat(ex.field()).isEqualTo(field))
			.withMessageContaining(message);
		assertThat(this.registry.list()).extracting(ListenerInfo::id).doesNotContain("x");
		assertThat(this.engine.events()).hasSize(events);
	}

	@Test
	void anUnknownBehaviourNamesTheOnesThereAre() {
		assertInvalid(tcp("telnet"), "behaviour", "unknown behaviour 'telnet' (choose echo, greeter, http, discard)");
	}

	@Test
	void httpDoesNotWorkOverUdp() {
		assertInvalid(udp("http"), "behaviour", "the http behaviour does not work over udp");
	}

	@Test
	void udpTakesOnlyRawOrLineFraming() {
		assertInvalid(udp("echo").withFraming(FramingSpec.parse("length-2")), "framing", "use raw or line framing");
		assertInvalid(udp("echo").withFraming(FramingSpec.parse("stx-etx")), "framing", "use raw or line framing");
	}

	@Test
	void anUnknownCharsetIsNamed() {
		assertInvalid(withCharset("klingon"), "charset", "unknown charset 'klingon'");
	}

	@Test
	void aCharsetThatCannotEncodeIsRefused() {
		// decodes only: the welcome and every send would fail later
		assertInvalid(withCharset("ISO-2022-CN"), "charset", "cannot encode");
	}

	@Test
	void aCharsetNameThatCannotBeOneIsNamedToo() {
		assertInvalid(withCharset("utf 8?"), "charset", "unknown charset 'utf 8?'");
	}

	@Test
	void aHostThatDoesNotResolveIsNamed() {
		assertInvalid(withHost("no-such-host.invalid"), "host", "'no-such-host.invalid' does not resolve");
	}

	@Test
	void aPublicAddressNeedsAnOptIn() {
		assertInvalid(withHost("0.0.0.0"), "host", "socketdeck.allow-public-bind");
		TestEngine open = new TestEngine(Behaviours.builtIn(), new EngineProperties(this.engine.dataDir().resolve("open"), true,
				64, new EngineProperties.Traffic(100, DataSize.ofKilobytes(64)), List.of(), 0));
		open.start();
		try {
			ListenerInfo info = open.registry().create(withHost("0.0.0.0").withAutostart(false));
			assertThat(info.spec().host()).isEqualTo("0.0.0.0");
		}
		finally {
			open.stop();
		}
	}

	@Test
	void badBehaviourOptionsAreNamed() {
		assertInvalid(tcp("greeter").withOptions(Map.of("greeting", "Hello!")), "options", "needs {}");
		assertInvalid(tcp("greeter").withOptions(Map.of("exit", "  ")), "options", "'exit' must not be blank");
		assertInvalid(tcp("greeter").withOptions(Map.of("wellcome", "Hi")), "options",
				"'wellcome' is not an option of the greeter behaviour (it takes welcome, greeting, exit)");
		assertInvalid(tcp("echo").withOptions(Map.of("loud", "yes")), "options", "which takes none");
		assertInvalid(tcp("http").withOptions(Map.of("status", "OK")), "options", "'status' must be a number");
		assertInvalid(tcp("http").withOptions(Map.of("status", "99")), "options", "between 100 and 599");
		assertInvalid(tcp("http").withOptions(Map.of("contentType", "text/plain\r\nX-Evil: 1")), "options",
				"one line");
	}

	@Test
	void beanValidationNamesTheField() {
		assertInvalid(ListenerSpec.of("no spaces allowed", Protocol.TCP, 0, "echo"), "name", "letters, digits");
		assertInvalid(ListenerSpec.of("x", Protocol.TCP, 70000, "echo"), "port", "65535");
		assertInvalid(tcp("echo").withLimits(new Limits(0, null, null, null)), "limits.maxConnections", "1");
		assertInvalid(tcp("echo").withLimits(new Limits(null, null, null, 10)), "limits.outboundQueueBytes", "1024");
		assertInvalid(tcp(" "), "behaviour", "blank");
	}

	@Test
	void aNameIsTakenOnlyOnce() {
		int port = this.engine.create(ListenerSpec.of("twin", Protocol.TCP, 0, "echo"));
		assertThatExceptionOfType(ListenerConflictException.class)
			.isThrownBy(() -> this.registry.create(ListenerSpec.of("twin", Protocol.UDP, 0, "greeter")))
			.withMessage("a listener named 'twin' already exists");
		ListenerInfo twin = this.registry.get("twin").info();
		assertThat(twin.spec().protocol()).isEqualTo(Protocol.TCP);
		assertThat(twin.boundPort()).isEqualTo(port);
		assertThat(this.engine.eventKinds("twin")).containsExactly(ListenerEvent.Kind.CREATED,
				ListenerEvent.Kind.STARTED);
	}

	@Test
	void theNumberOfListenersIsLimited() {
		TestEngine small = new TestEngine(Behaviours.builtIn(), new EngineProperties(this.engine.dataDir().resolve("small"),
				false, 2, new EngineProperties.Traffic(100, DataSize.ofKilobytes(64)), List.of(), 0));
		small.start();
		try {
			small.registry().create(ListenerSpec.of("one", Protocol.TCP, 0, "echo").withAutostart(false));
			small.registry().create(ListenerSpec.of("two", Protocol.TCP, 0, "echo").withAutostart(false));
			assertThatExceptionOfType(ListenerConflictException.class)
				.isThrownBy(() -> small.registry().create(ListenerSpec.of("three", Protocol.TCP, 0, "echo")))
				.withMessageContaining("socketdeck.max-listeners");
			small.registry().delete("one");
			small.registry().create(ListenerSpec.of("three", Protocol.TCP, 0, "echo").withAutostart(false));
		}
		finally {
			small.stop();
		}
	}

	@Test
	void aPayloadTooBigForTheQueueIsRefused() {
		this.engine.create(tcp("echo").withLimits(new Limits(null, null, null, 1024)));
		Listener x = this.registry.get("x");
		assertThatExceptionOfType(InvalidSpecException.class).isThrownBy(() -> x.send("c1", new byte[1025], true))
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("payload"))
			.withMessageContaining("limits.outboundQueueBytes");
	}

	@Test
	void aPayloadTheFramingCannotCarryIsRefused() {
		this.engine.create(tcp("echo").withFraming(FramingSpec.parse("length-1")));
		Listener x = this.registry.get("x");
		assertThatExceptionOfType(InvalidSpecException.class).isThrownBy(() -> x.broadcast(new byte[256], false))
			.satisfies(ex -> assertThat(ex.field()).isEqualTo("payload"));
	}
}
