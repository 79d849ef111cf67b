package dev.socketdeck.client;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a request may send is capped like what it may collect, checked before any connect (so
 * the target here need not exist).
 */
class RequestSizeTest {

	private static final OutboundProperties SMALL = new OutboundProperties(List.of(), List.of(), Duration.ofSeconds(1),
			Duration.ofSeconds(30), DataSize.ofBytes(64), 4, OutboundProperties.defaults().sessionTraffic());

	private static void invalid(Runnable request, String field, String message) {
		assertThatThrownBy(request::run).isInstanceOfSatisfying(OutboundException.class, ex -> {
			assertThat(ex.kind()).isEqualTo(OutboundException.Kind.INVALID);
			assertThat(ex.field()).isEqualTo(field);
			assertThat(ex).hasMessageContaining(message);
		});
	}

	@Test
	void anExchangeOrDatagramLargerThanTheCapIsRefused() {
		Exchanges exchanges = new Exchanges(TargetPolicy.open(), SMALL);
		try {
			invalid(() -> exchanges.tcp(new ExchangeSpec("127.0.0.1", 9, "x".repeat(65), null, null, null, null)), "text",
					"65 bytes are more than the 64 one request may send");
			invalid(() -> exchanges.udp(new UdpSpec("127.0.0.1", 9, null, "00".repeat(65), null, null, null, null, null)),
					"hex", "65 bytes are more than the 64");
		}
		finally {
			exchanges.destroy();
		}
	}

	@Test
	void aFetchWhoseRequestIsLargerThanTheCapIsRefused() {
		HttpFetcher fetcher = new HttpFetcher(TargetPolicy.open(), SMALL);
		try {
			invalid(() -> fetcher.fetch(new FetchSpec("http://127.0.0.1:9/", "POST", null, "b".repeat(64), null, null)),
					"body", "a fetch may send");
		}
		finally {
			fetcher.destroy();
		}
	}
}
