package dev.socketdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchFileNameTest {

	@Test
	void theRootIsBody() {
		assertThat(OutboundController.fileName("http://127.0.0.1:8081/")).isEqualTo("body");
		assertThat(OutboundController.fileName("https://example.test/?download=1")).isEqualTo("body");
	}

	@Test
	void takesTheLastPathSegmentWithoutTheQuery() {
		assertThat(OutboundController.fileName("http://example.test/a/b/report.pdf?x=1")).isEqualTo("report.pdf");
		assertThat(OutboundController.fileName("http://example.test/a/b/report.pdf?next=/c/d.txt"))
			.isEqualTo("report.pdf");
		assertThat(OutboundController.fileName("http://[::1]:8080/x")).isEqualTo("x");
	}

	@Test
	void aPathEndingInASlashIsBody() {
		assertThat(OutboundController.fileName("http://example.test/docs/")).isEqualTo("body");
	}

	@Test
	void replacesOddCharacters() {
		assertThat(OutboundController.fileName("http://example.test/we!rd$name(1).tar.gz"))
			.isEqualTo("we_rd_name_1_.tar.gz");
		assertThat(OutboundController.fileName("http://example.test/r%C3%A9sum%C3%A9.pdf"))
			.isEqualTo("r_C3_A9sum_C3_A9.pdf");
		assertThat(OutboundController.fileName("http://example.test/a;b\\c\"d")).isEqualTo("a_b_c_d");
	}

	@Test
	void dotsAloneAreBody() {
		assertThat(OutboundController.fileName("http://example.test/a/..")).isEqualTo("body");
		assertThat(OutboundController.fileName("http://example.test/.")).isEqualTo("body");
		assertThat(OutboundController.fileName("http://example.test/...")).isEqualTo("body");
		assertThat(OutboundController.fileName("http://example.test/..?x=1")).isEqualTo("body");
	}

	@Test
	void aNameWithDotsAndOtherCharactersIsKept() {
		assertThat(OutboundController.fileName("http://example.test/.env")).isEqualTo(".env");
		assertThat(OutboundController.fileName("http://example.test/..a")).isEqualTo("..a");
	}

}
