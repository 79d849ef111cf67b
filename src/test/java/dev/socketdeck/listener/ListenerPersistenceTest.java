package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.socketdeck.behaviour.Behaviours;
import dev.socketdeck.codec.Framing;
import dev.socketdeck.codec.FramingSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ListenerPersistenceTest {

	@TempDir
	Path dataDir;

	private TestEngine engine;

	@AfterEach
	void stopEngine() {
		if (this.engine != null) {
			this.engine.stop();
		}
	}

	private TestEngine start(EngineProperties properties) {
		if (this.engine != null) {
			this.engine.stop();
		}
		this.engine = new TestEngine(Behaviours.builtIn(), properties);
		this.engine.start();
		return this.engine;
	}

	private Path savedFile() {
		return this.dataDir.resolve("listeners.json");
	}

	private JsonNode saved() {
		return JsonMapper.builder().build().readTree(savedFile().toFile());
	}

	private EngineProperties declaring(ListenerSpec... declared) {
		return new EngineProperties(this.dataDir, false, 64, new EngineProperties.Traffic(1000, DataSize.ofMegabytes(1)),
				List.of(declared), 0);
	}

	@Test
	void listenersComeBackAfterARestartInTheStateTheyWereIn() throws IOException {
		TestEngine first = start(EngineProperties.defaults(this.dataDir));
		ListenerSpec upSpec = ListenerSpec.of("up", Protocol.TCP, 0, "echo");
		ListenerSpec downSpec = ListenerSpec.of("down", Protocol.UDP, 0, "greeter")
			.withOptions(Map.of("greeting", "Hi {}"))
			.withLimits(new Limits(5, 1000L, 512, 4096));
		first.create(upSpec);
		first.create(downSpec);
		first.registry().stop("down");
		List<ListenerSpec> specsBefore = first.registry().list().stream().map(ListenerInfo::spec).toList();
		first.stop();

		JsonNode json = saved();
		assertThat(json.isArray()).isTrue();
		assertThat(json).hasSize(2);
		assertThat(json.get(0).get("spec").get("name").asString()).isEqualTo("down");
		assertThat(json.get(0).get("running").asBoolean()).isFalse();
		assertThat(json.get(1).get("spec").get("name").asString()).isEqualTo("up");
		assertThat(json.get(1).get("running").asBoolean()).isTrue();
		assertThat(Files.exists(this.dataDir.resolve("listeners.json.tmp"))).isFalse();

		TestEngine second = start(EngineProperties.defaults(this.dataDir));
		assertThat(second.registry().list()).extracting(ListenerInfo::id, ListenerInfo::state, ListenerInfo::declared)
			.containsExactly(tuple("down", ListenerState.STOPPED, false), tuple("up", ListenerState.RUNNING, false));
		assertThat(second.registry().list()).extracting(ListenerInfo::spec).isEqualTo(specsBefore);
		assertThat(second.registry().get("down").spec().framing()).isEqualTo(FramingSpec.of(Framing.LINE));
		try (TcpClient client = TcpClient.connect(second.port("up"))) {
			client.send("back");
			assertThat(client.readText(4)).isEqualTo("back");
		}
	}

	@Test
	void deletedListenersAreForgotten() {
		TestEngine first = start(EngineProperties.defaults(this.dataDir));
		first.create(ListenerSpec.of("keep", Protocol.TCP, 0, "echo"));
		first.create(ListenerSpec.of("drop", Protocol.TCP, 0, "echo"));
		first.registry().delete("drop");
		assertThat(saved()).hasSize(1);
		TestEngine second = start(EngineProperties.defaults(this.dataDir));
		assertThat(second.registry().list()).extracting(ListenerInfo::id).containsExactly("keep");
	}

	@Test
	void declaredListenersAreNotSaved() {
		ListenerSpec declared = ListenerSpec.of("declared", Protocol.TCP, 0, "greeter");
		TestEngine first = start(declaring(declared));
		assertThat(first.registry().get("declared").info().declared()).isTrue();
		assertThat(first.registry().get("declared").state()).isEqualTo(ListenerState.RUNNING);
		first.create(ListenerSpec.of("mine", Protocol.TCP, 0, "echo"));
		first.registry().stop("declared");
		assertThat(saved()).extracting(n -> n.get("spec").get("name").asString()).containsExactly("mine");

		// the configuration is the declared listener's source: it starts again, once
		TestEngine second = start(declaring(declared));
		assertThat(second.registry().list()).extracting(ListenerInfo::id, ListenerInfo::state, ListenerInfo::declared)
			.containsExactly(tuple("declared", ListenerState.RUNNING, true), tuple("mine", ListenerState.RUNNING, false));
	}

	@Test
	void aDeclaredListenerThatMayNotAutostartIsCreatedStopped() {
		TestEngine e = start(declaring(ListenerSpec.of("later", Protocol.TCP, 0, "echo").withAutostart(false)));
		assertThat(e.registry().get("later").state()).isEqualTo(ListenerState.STOPPED);
	}

	@Test
	void anUnreadableFileIsIgnored() throws IOException {
		Files.writeString(savedFile(), "{ this is not json");
		TestEngine e = start(EngineProperties.defaults(this.dataDir));
		assertThat(e.registry().list()).isEmpty();
		e.create(ListenerSpec.of("fresh", Protocol.TCP, 0, "echo"));
		assertThat(saved()).hasSize(1);
	}
}
