package dev.socketdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** Only literal addresses, localhost and {@code .invalid} names: nothing here asks a DNS server for a real name. */
class TargetPolicyTest {

	private static TargetPolicy policy(List<String> allow, List<String> deny) {
		return policy(allow, deny, null);
	}

	private static TargetPolicy policy(List<String> allow, List<String> deny, @Nullable String closedBecause) {
		return TargetPolicy.of(new OutboundProperties(allow, deny, Duration.ofSeconds(5), Duration.ofSeconds(30),
				DataSize.ofMegabytes(4), 32, new OutboundProperties.SessionTraffic(2000, DataSize.ofMegabytes(1))),
				closedBecause);
	}

	private static OutboundException refusal(TargetPolicy policy, String host) {
		Throwable thrown = catchThrowable(() -> policy.check(host, 80));
		assertThat(thrown).isInstanceOf(OutboundException.class);
		return (OutboundException) thrown;
	}

	private static void assertDenied(OutboundException ex, String message) {
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.DENIED);
		assertThat(ex.field()).isEqualTo("host");
		assertThat(ex).hasMessage(message);
	}

	private static InetAddress ip(String literal) {
		return InetAddress.ofLiteral(literal);
	}

	@Test
	void anOpenPolicyAllowsLoopbackAndReturnsTheAddress() {
		TargetPolicy open = policy(List.of(), List.of());
		assertThat(open.check("127.0.0.1", 8080)).isEqualTo(new Target("127.0.0.1", 8080, ip("127.0.0.1")));
		assertThat(open.check("::1", 9)).isEqualTo(new Target("::1", 9, ip("::1")));
		assertThat(open.check(" 127.0.0.2 ", 1)).isEqualTo(new Target("127.0.0.2", 1, ip("127.0.0.2")));
	}

	@Test
	void theOpenFactoryAllowsLoopback() {
		assertThat(TargetPolicy.open().check("127.0.0.1", 7).address()).isEqualTo(ip("127.0.0.1"));
	}

	@Test
	void aBracketedIpv6HostIsCheckedWithoutItsBrackets() {
		Target t = policy(List.of(), List.of()).check("[::1]", 443);
		assertThat(t).isEqualTo(new Target("::1", 443, ip("::1")));
		assertThat(t.toString()).isEqualTo("[0:0:0:0:0:0:0:1]:443");
	}

	@Test
	void localhostResolvesToALoopbackAddress() {
		Target t = policy(List.of(), List.of()).check("localhost", 80);
		assertThat(t.host()).isEqualTo("localhost");
		assertThat(t.address().isLoopbackAddress()).isTrue();
	}

	@Test
	void aNameThatDoesNotResolveIsAnUnknownHost() {
		OutboundException ex = refusal(policy(List.of(), List.of()), "nothing-here.invalid");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.UNKNOWN_HOST);
		assertThat(ex.field()).isEqualTo("host");
		assertThat(ex).hasMessage("cannot resolve host 'nothing-here.invalid': no such host is known");
	}

	@Test
	void aDenyRangeRefusesAnAddressInItNamingTheRuleAndTheList() {
		TargetPolicy p = policy(List.of(), List.of("10.0.0.0/8", "127.0.0.0/8"));
		assertDenied(refusal(p, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) is refused by the rule '127.0.0.0/8' in socketdeck.outbound.deny");
		assertThat(p.check("::1", 80).address()).isEqualTo(ip("::1"));
	}

	@Test
	void aDenyRangeAppliesToTheAddressANameResolvesTo() {
		OutboundException ex = refusal(policy(List.of(), List.of("127.0.0.0/8", "::1/128")), "localhost");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.DENIED);
		assertThat(ex.getMessage()).startsWith("'localhost' (").contains(") is refused by the rule '");
	}

	@Test
	void aDenyHostGlobRefusesTheNameBeforeResolvingIt() {
		// matched on the name, so nothing is looked up
		TargetPolicy p = policy(List.of(), List.of("*.example.test"));
		assertDenied(refusal(p, "api.example.test"),
				"host 'api.example.test' is refused by the rule '*.example.test' in socketdeck.outbound.deny");
		assertDenied(refusal(p, "Deep.API.Example.TEST"),
				"host 'Deep.API.Example.TEST' is refused by the rule '*.example.test' in socketdeck.outbound.deny");
	}

	@Test
	void aDenyHostRuleMatchesTheWholeName() {
		TargetPolicy p = policy(List.of(), List.of("local*", "*.invalid"));
		assertDenied(refusal(p, "LOCALHOST"),
				"host 'LOCALHOST' is refused by the rule 'local*' in socketdeck.outbound.deny");
		// neither rule matches: the name is resolved and allowed
		Target t = policy(List.of(), List.of("localhos", "ocalhost")).check("localhost", 80);
		assertThat(t.address().isLoopbackAddress()).isTrue();
	}

	@Test
	void aDenyHostRuleAlsoRefusesTheFullyQualifiedName() {
		TargetPolicy p = policy(List.of(), List.of("*.blocked.invalid"));
		OutboundException ex = refusal(p, "db.blocked.invalid.");
		assertThat(ex.kind()).isEqualTo(OutboundException.Kind.DENIED);
		assertThat(ex.getMessage()).contains("the rule '*.blocked.invalid' in socketdeck.outbound.deny");
	}

	@Test
	void anAllowListRefusesWhatMatchesNoRule() {
		TargetPolicy p = policy(List.of("10.0.0.0/8", "*.lan"), List.of());
		assertDenied(refusal(p, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) matches no rule in socketdeck.outbound.allow [10.0.0.0/8, *.lan]");
	}

	@Test
	void anAllowListAllowsAMatchingRange() {
		TargetPolicy p = policy(List.of("10.0.0.0/8", "127.0.0.0/8"), List.of());
		assertThat(p.check("127.1.2.3", 80)).isEqualTo(new Target("127.1.2.3", 80, ip("127.1.2.3")));
	}

	@Test
	void anAllowListAllowsAnExactAddressAndNoOther() {
		TargetPolicy p = policy(List.of("127.0.0.1"), List.of());
		assertThat(p.check("127.0.0.1", 80).address()).isEqualTo(ip("127.0.0.1"));
		assertDenied(refusal(p, "127.0.0.2"),
				"'127.0.0.2' (127.0.0.2) matches no rule in socketdeck.outbound.allow [127.0.0.1]");
	}

	@Test
	void anAllowListAllowsAMatchingHostName() {
		TargetPolicy p = policy(List.of("LocalHost"), List.of());
		Target t = p.check("localhost", 80);
		assertThat(t.host()).isEqualTo("localhost");
		assertThat(t.address().isLoopbackAddress()).isTrue();
		// the name rule is about the name: the same address given as a literal is refused
		assertDenied(refusal(p, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) matches no rule in socketdeck.outbound.allow [LocalHost]");
	}

	@Test
	void denyWinsOverAllow() {
		TargetPolicy p = policy(List.of("127.0.0.0/8"), List.of("127.0.0.1"));
		assertDenied(refusal(p, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) is refused by the rule '127.0.0.1' in socketdeck.outbound.deny");
		assertThat(p.check("127.0.0.2", 80).address()).isEqualTo(ip("127.0.0.2"));
	}

	@Test
	void anIpv6RangeMatchesOnlyIpv6() {
		TargetPolicy p = policy(List.of("::1/128"), List.of());
		assertThat(p.check("::1", 80)).isEqualTo(new Target("::1", 80, ip("::1")));
		assertThat(p.check("[0:0:0:0:0:0:0:1]", 80).address()).isEqualTo(ip("::1"));
		assertDenied(refusal(p, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) matches no rule in socketdeck.outbound.allow [::1/128]");
		assertDenied(refusal(p, "::2"),
				"'::2' (0:0:0:0:0:0:0:2) matches no rule in socketdeck.outbound.allow [::1/128]");
	}

	@Test
	void aClosedPolicyRefusesEverythingWithItsReason() {
		TargetPolicy p = policy(List.of(), List.of(), "the dashboard is reachable from other machines");
		String message = "outbound connections are off: the dashboard is reachable from other machines and "
				+ "socketdeck.outbound.allow is empty; list the hosts or ranges you want to reach there";
		assertDenied(refusal(p, "127.0.0.1"), message);
		assertDenied(refusal(p, "[::1]"), message);
		assertDenied(refusal(p, "nothing-here.invalid"), message);
	}

	@Test
	void anAllowListOpensAClosedPolicyToWhatItLists() {
		TargetPolicy p = policy(List.of("127.0.0.1"), List.of(), "the dashboard is reachable from other machines");
		assertThat(p.check("127.0.0.1", 80).address()).isEqualTo(ip("127.0.0.1"));
		assertDenied(refusal(p, "::1"),
				"'::1' (0:0:0:0:0:0:0:1) matches no rule in socketdeck.outbound.allow [127.0.0.1]");
	}

	@Test
	void aPrefixLengthOutOfRangeFailsAtConstruction() {
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of("10.0.0.0/33"), List.of()))
			.withMessage("socketdeck.outbound.allow rule '10.0.0.0/33': the prefix length must be 0 to 32");
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(), List.of("::/129")))
			.withMessage("socketdeck.outbound.deny rule '::/129': the prefix length must be 0 to 128");
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(), List.of("10.0.0.0/-1")))
			.withMessage("socketdeck.outbound.deny rule '10.0.0.0/-1': the prefix length must be 0 to 32");
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(), List.of("10.0.0.0/x")))
			.withMessage("socketdeck.outbound.deny rule '10.0.0.0/x': the prefix length must be 0 to 32");
	}

	@Test
	void aRuleThatIsNeitherAHostNorAnAddressFailsAtConstruction() {
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(), List.of("not a rule!")))
			.withMessage("socketdeck.outbound.deny rule 'not a rule!' is neither a host name (wildcards: *), "
					+ "an IP address nor a CIDR range");
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of("example.test/8"), List.of()))
			.withMessage("socketdeck.outbound.allow rule 'example.test/8' is neither a host name (wildcards: *), "
					+ "an IP address nor a CIDR range");
	}

	@Test
	void anEmptyRuleFailsAtConstruction() {
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(""), List.of()))
			.withMessage("socketdeck.outbound.allow has an empty rule");
		assertThatIllegalStateException().isThrownBy(() -> policy(List.of(), List.of("127.0.0.1", "  ")))
			.withMessage("socketdeck.outbound.deny has an empty rule");
	}

	@Test
	void prefixZeroMatchesTheWholeFamilyAndOnlyIt() {
		TargetPolicy noIpv4 = policy(List.of(), List.of("0.0.0.0/0"));
		assertDenied(refusal(noIpv4, "127.0.0.1"),
				"'127.0.0.1' (127.0.0.1) is refused by the rule '0.0.0.0/0' in socketdeck.outbound.deny");
		assertThat(noIpv4.check("::1", 80).address()).isEqualTo(ip("::1"));

		TargetPolicy noIpv6 = policy(List.of(), List.of("::/0"));
		assertDenied(refusal(noIpv6, "::1"),
				"'::1' (0:0:0:0:0:0:0:1) is refused by the rule '::/0' in socketdeck.outbound.deny");
		assertThat(noIpv6.check("127.0.0.1", 80).address()).isEqualTo(ip("127.0.0.1"));
	}

	@Test
	void aPrefixOffTheByteBoundaryMasksTheBitsItCovers() {
		// 127.0.0.0/9 is 127.0.0.0 to 127.127.255.255
		TargetPolicy p = policy(List.of("127.0.0.0/9"), List.of());
		assertThat(p.check("127.0.0.1", 80).address()).isEqualTo(ip("127.0.0.1"));
		assertThat(p.check("127.127.255.255", 80).address()).isEqualTo(ip("127.127.255.255"));
		assertDenied(refusal(p, "127.128.0.1"),
				"'127.128.0.1' (127.128.0.1) matches no rule in socketdeck.outbound.allow [127.0.0.0/9]");
	}

	@Test
	void aNarrowPrefixWithHostBitsSetInTheRuleStillMasks() {
		// 127.0.0.5/31 is 127.0.0.4 and 127.0.0.5
		TargetPolicy p = policy(List.of(), List.of("127.0.0.5/31"));
		assertDenied(refusal(p, "127.0.0.4"),
				"'127.0.0.4' (127.0.0.4) is refused by the rule '127.0.0.5/31' in socketdeck.outbound.deny");
		assertDenied(refusal(p, "127.0.0.5"),
				"'127.0.0.5' (127.0.0.5) is refused by the rule '127.0.0.5/31' in socketdeck.outbound.deny");
		assertThat(p.check("127.0.0.3", 80).address()).isEqualTo(ip("127.0.0.3"));
		assertThat(p.check("127.0.0.6", 80).address()).isEqualTo(ip("127.0.0.6"));
	}

	@Test
	void anIpv6PrefixOffTheByteBoundaryMasks() {
		// ::/127 is :: and ::1
		TargetPolicy p = policy(List.of(), List.of("::/127"));
		assertThat(refusal(p, "::1").kind()).isEqualTo(OutboundException.Kind.DENIED);
		assertThat(p.check("::2", 80).address()).isEqualTo(ip("::2"));
	}

}
