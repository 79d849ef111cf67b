package dev.socketdeck.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PortInUseTest {

	@RegisterExtension
	final TestEngine engine = TestEngine.perTest();

	private final ListenerRegistry registry = this.engine.registry();

	/** The listeners someone following the events believes exist. */
	private Set<String> listenersByTheEvents() {
		Set<String> alive = new LinkedHashSet<>();
		for (ListenerEvent e : this.engine.events()) {
			switch (e.kind()) {
				case CREATED -> alive.add(e.listener().id());
				case DELETED -> alive.remove(e.listener().id());
				default -> {
				}
			}
		}
		return alive;
	}

	@Test
	void creatingATcpListenerOnATakenPortFailsAndLeavesNothing() throws IOException {
		try (ServerSocket taken = new ServerSocket(0, 50, TestEngine.LOOPBACK)) {
			ListenerSpec spec = ListenerSpec.of("clash", Protocol.TCP, taken.getLocalPort(), "echo");
			assertThatExceptionOfType(ListenerConflictException.class).isThrownBy(() -> this.registry.create(spec))
				.withMessageContaining("tcp 127.0.0.1:" + taken.getLocalPort())
				.withMessageContaining("already in use");
		}
		assertThat(this.registry.find("clash")).isNull();
		assertThat(this.registry.list()).isEmpty();
		assertThat(listenersByTheEvents()).isEmpty();
		// nothing is saved either, and the name is free again
		assertThat(this.registry.create(ListenerSpec.of("clash", Protocol.TCP, 0, "echo")).state())
			.isEqualTo(ListenerState.RUNNING);
	}

	@Test
	void creatingAUdpListenerOnATakenPortFailsAndLeavesNothing() throws IOException {
		try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(TestEngine.LOOPBACK, 0))) {
			ListenerSpec spec = ListenerSpec.of("clash", Protocol.UDP, taken.getLocalPort(), "echo");
			assertThatExceptionOfType(ListenerConflictException.class).isThrownBy(() -> this.registry.create(spec))
				.withMessageContaining("udp 127.0.0.1:" + taken.getLocalPort())
				.withMessageContaining("already in use");
		}
		assertThat(this.registry.find("clash")).isNull();
		assertThat(listenersByTheEvents()).isEmpty();
	}

	@Test
	void startingAStoppedListenerWhosePortIsTakenFailsWithTheReason() throws IOException {
		int port = TestEngine.freePort();
		this.registry.create(ListenerSpec.of("later", Protocol.TCP, port, "echo").withAutostart(false));
		try (ServerSocket taken = new ServerSocket(port, 50, TestEngine.LOOPBACK)) {
			assertThatExceptionOfType(ListenerConflictException.class).isThrownBy(() -> this.registry.start("later"))
				.withMessageContaining("already in use");
			ListenerInfo info = this.registry.get("later").info();
			assertThat(info.state()).isEqualTo(ListenerState.FAILED);
			assertThat(info.reason()).isEqualTo("cannot listen on tcp 127.0.0.1:" + port + ": the port is already in use");
			assertThat(info.boundPort()).isNull();
			assertThat(info.stats().errors()).isEqualTo(1);
			assertThat(this.engine.eventKinds("later")).containsExactly(ListenerEvent.Kind.CREATED,
					ListenerEvent.Kind.FAILED);
			assertThat(this.engine.traffic("later")).anyMatch(e -> e.type() == TrafficType.ERROR
					&& String.valueOf(e.note()).contains("already in use"));
		}
		// once the port is free again, it starts
		ListenerInfo started = this.registry.start("later");
		assertThat(started.state()).isEqualTo(ListenerState.RUNNING);
		assertThat(started.boundPort()).isEqualTo(port);
		assertThat(started.reason()).isNull();
	}

	@Test
	void aTakenUdpPortFailsAStartToo() throws IOException {
		int port;
		try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(TestEngine.LOOPBACK, 0))) {
			port = probe.getLocalPort();
		}
		this.registry.create(ListenerSpec.of("later-udp", Protocol.UDP, port, "echo").withAutostart(false));
		try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(TestEngine.LOOPBACK, port))) {
			assertThatExceptionOfType(ListenerConflictException.class)
				.isThrownBy(() -> this.registry.start("later-udp"));
			assertThat(this.registry.get("later-udp").state()).isEqualTo(ListenerState.FAILED);
		}
	}

	@Test
	void stoppingAFailedListenerAcknowledgesTheFailure() throws IOException {
		int port = TestEngine.freePort();
		this.registry.create(ListenerSpec.of("failing", Protocol.TCP, port, "echo").withAutostart(false));
		try (ServerSocket taken = new ServerSocket(port, 50, TestEngine.LOOPBACK)) {
			assertThatExceptionOfType(ListenerConflictException.class).isThrownBy(() -> this.registry.start("failing"));
		}
		ListenerInfo stopped = this.registry.stop("failing");
		assertThat(stopped.state()).isEqualTo(ListenerState.STOPPED);
		assertThat(stopped.reason()).contains("already in use");
		assertThat(this.engine.eventKinds("failing")).containsExactly(ListenerEvent.Kind.CREATED,
				ListenerEvent.Kind.FAILED, ListenerEvent.Kind.STOPPED);
		// stopping again changes nothing more
		this.registry.stop("failing");
		assertThat(this.engine.eventKinds("failing")).hasSize(3);
	}
}
