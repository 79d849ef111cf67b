package dev.socketdeck.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.socketdeck.listener.ListenerSpec;
import dev.socketdeck.listener.ListenerStats;
import dev.socketdeck.listener.Protocol;
import dev.socketdeck.listener.TcpClient;
import dev.socketdeck.listener.TestEngine;
import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DiscardBehaviourTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	@Test
	void sendsNothingBackButShowsTheFrame() throws IOException {
		int port = this.engine.create(ListenerSpec.of("sink", Protocol.TCP, 0, "discard"));
		try (TcpClient client = TcpClient.connect(port)) {
			client.send("into the void\n");
			TrafficEvent in = this.engine.awaitTraffic("sink", e -> e.type() == TrafficType.IN);
			assertThat(new String(in.payload(), StandardCharsets.UTF_8)).isEqualTo("into the void\n");
			client.shutdownOutput();
			// the server closes its side once we have: nothing came before the end
			assertThat(client.readToEnd()).isEmpty();
		}
		String connection = this.engine.awaitTraffic("sink", e -> e.type() == TrafficType.OPEN).connection();
		assertThat(this.engine.awaitClose("sink", connection)).isEqualTo("peer closed");
		assertThat(this.engine.traffic("sink")).noneMatch(e -> e.type() == TrafficType.OUT);
		ListenerStats stats = this.engine.listener("sink").stats();
		assertThat(stats.bytesIn()).isEqualTo(14);
		assertThat(stats.bytesOut()).isZero();
		assertThat(stats.framesOut()).isZero();
	}
}
