package dev.socketdeck.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** A UDP send stops collecting at a count and a byte cap, empty datagrams included. */
class ReplyBudgetTest {

	@Test
	void emptyDatagramsAreChargedSoAFloodOfThemHitsTheByteCap() {
		ReplyBudget budget = new ReplyBudget(640, 1000);
		for (int i = 0; i < 10; i++) {
			budget.add(0, "udp 127.0.0.1:9");
		}
		assertThatThrownBy(() -> budget.add(0, "udp 127.0.0.1:9")).isInstanceOfSatisfying(OutboundException.class,
				ex -> org.assertj.core.api.Assertions.assertThat(ex.kind()).isEqualTo(OutboundException.Kind.TOO_LARGE))
			.hasMessage("the replies from udp 127.0.0.1:9 come to more than 640 bytes (each datagram counts as at "
					+ "least 64), the most socketdeck.outbound.max-response-bytes allows; nothing was kept");
	}

	@Test
	void theNumberOfRepliesIsCappedWhateverTheirSize() {
		ReplyBudget budget = new ReplyBudget(1 << 30, 3);
		assertThatNoException().isThrownBy(() -> {
			budget.add(1, "x");
			budget.add(1, "x");
			budget.add(1, "x");
		});
		assertThatThrownBy(() -> budget.add(1, "udp 127.0.0.1:9"))
			.hasMessage("more than 3 datagrams came back from udp 127.0.0.1:9 within the wait; nothing was kept");
	}

	@Test
	void largeDatagramsCountTheirOwnSize() {
		ReplyBudget budget = new ReplyBudget(1000, 100);
		budget.add(999, "x");
		assertThatThrownBy(() -> budget.add(2, "x")).isInstanceOf(OutboundException.class);
	}
}
