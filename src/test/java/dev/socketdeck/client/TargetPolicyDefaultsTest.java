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

	@Test
	void anIpv4MappedAddressFromTheResolverIsMatchedAsTheIpv4AddressItCarries() throws Exception {
		byte[] mapped = new byte[16];
		mapped[10] = (byte) 0xff;
		mapped[11] = (byte) 0xff;
		mapped[12] = 127;
		mapped[15] = 1;
		java.net.InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
		assertThat(v6.getAddress()).hasSize(16);
		assertThat(TargetPolicy.normalise(v6).getHostAddress()).isEqualTo("127.0.0.1");
		java.net.InetAddress loopback6 = java.net.InetAddress.getByName("::1");
		assertThat(TargetPolicy.normalise(loopback6)).isSameAs(loopback6);
	}

	@Test
	void theUnspecifiedAddressesAndAnEmptyHostAreRefused() {
		TargetPolicy policy = TargetPolicy.open();
		for (String host : new String[] { "0.0.0.0", "::", "[::]", "[]" }) {
			assertThatThrownBy(() -> policy.check(host, 80)).as(host)
				.isInstanceOfSatisfying(OutboundException.class, ex -> {
					assertThat(ex.kind()).isEqualTo(OutboundException.Kind.INVALID);
					assertThat(ex.field()).isEqualTo("host");
				});
		}
	}
}
