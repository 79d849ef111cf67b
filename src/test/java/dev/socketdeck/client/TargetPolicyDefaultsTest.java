package dev.socketdeck.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With no allow list, outbound is open only while the dashboard listens on loopback alone. */
class TargetPolicyDefaultsTest {

	@Test
	void aDashboardOnLoopbackMayReachAnyHost() {
		TargetPolicy policy = new TargetPolicy(OutboundProperties.defaults(), "127.0.0.1");
		assertThat(policy.check("127.0.0.1", 80).address().getHostAddress()).isEqualTo("127.0.0.1");
	}

	@Test
	void aDashboardOpenToTheNetworkReachesNothingUntilAnAllowListSaysWhat() {
		for (String address : new String[] { "0.0.0.0", "" }) {
			TargetPolicy policy = new TargetPolicy(OutboundProperties.defaults(), address);
			assertThatThrownBy(() -> policy.check("127.0.0.1", 80)).isInstanceOfSatisfying(OutboundException.class, ex -> {
				assertThat(ex.kind()).isEqualTo(OutboundException.Kind.DENIED);
				assertThat(ex.getMessage()).contains("the dashboard is reachable from other machines")
					.contains("socketdeck.outbound.allow is empty");
			});
		}
		OutboundProperties d = OutboundProperties.defaults();
		OutboundProperties allowLoopback = new OutboundProperties(List.of("127.0.0.0/8"), null, d.connectTimeout(),
				d.maxWait(), d.maxResponseBytes(), 32, d.sessionTraffic());
		assertThat(new TargetPolicy(allowLoopback, "0.0.0.0").check("127.0.0.1", 80).port()).isEqualTo(80);
	}
}
