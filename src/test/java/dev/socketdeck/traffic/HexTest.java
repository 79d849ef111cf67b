package dev.socketdeck.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class HexTest {

	private static byte[] bytes(int... values) {
		byte[] b = new byte[values.length];
		for (int i = 0; i < values.length; i++) {
			b[i] = (byte) values[i];
		}
		return b;
	}

	@Test
	void formatsLowerCasePairsSeparatedBySpaces() {
		assertThat(Hex.format(bytes(0x48, 0x69, 0x0a))).isEqualTo("48 69 0a");
		assertThat(Hex.format(bytes(0x00, 0xff, 0x80, 0x7f))).isEqualTo("00 ff 80 7f");
		assertThat(Hex.format(bytes(0xab))).isEqualTo("ab");
		assertThat(Hex.format(new byte[0])).isEmpty();
	}

	@Test
	void parsesPairsWithOrWithoutSeparators() {
		byte[] hi = bytes(0x48, 0x69);
		assertThat(Hex.parse("48 69")).isEqualTo(hi);
		assertThat(Hex.parse("4869")).isEqualTo(hi);
		assertThat(Hex.parse("48:69")).isEqualTo(hi);
		assertThat(Hex.parse("48-69")).isEqualTo(hi);
		assertThat(Hex.parse("48,69")).isEqualTo(hi);
		assertThat(Hex.parse(" 48\t69\r\n")).isEqualTo(hi);
		assertThat(Hex.parse("48, 69")).isEqualTo(hi);
	}

	@Test
	void acceptsZeroXPrefixes() {
		assertThat(Hex.parse("0x48 0x69")).isEqualTo(bytes(0x48, 0x69));
		assertThat(Hex.parse("0X480X69")).isEqualTo(bytes(0x48, 0x69));
		assertThat(Hex.parse("0x00,0x0a")).isEqualTo(bytes(0x00, 0x0a));
		assertThat(Hex.parse("0x0102")).isEqualTo(bytes(0x01, 0x02));
	}

	@Test
	void acceptsUpperAndLowerCaseDigits() {
		assertThat(Hex.parse("DEADbeef")).isEqualTo(bytes(0xde, 0xad, 0xbe, 0xef));
	}

	@Test
	void parsesNothingAsNoBytes() {
		assertThat(Hex.parse("")).isEmpty();
		assertThat(Hex.parse("  \n ")).isEmpty();
	}

	@Test
	void parsesWhatItFormats() {
		byte[] all = new byte[256];
		for (int i = 0; i < all.length; i++) {
			all[i] = (byte) i;
		}
		assertThat(Hex.parse(Hex.format(all))).isEqualTo(all);
	}

	@Test
	void anOddDigitNamesItsPosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("486"))
			.withMessageContaining("pairs")
			.withMessageContaining("position 3");
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("48 6 9a"))
			.withMessageContaining("position 4");
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("0x4"))
			.withMessageContaining("position 3");
	}

	@Test
	void aBadCharacterIsNamedWithItsPosition() {
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("48 zz"))
			.withMessageContaining("'z'")
			.withMessageContaining("position 4");
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("hello"))
			.withMessageContaining("'h'")
			.withMessageContaining("position 1");
	}

	@Test
	void aBadSecondDigitIsNamedAsTheBadCharacter() {
		// "6z": the 6 has a partner, it is just not a hex digit
		assertThatIllegalArgumentException().isThrownBy(() -> Hex.parse("48 6z"))
			.withMessageContaining("'z'")
			.withMessageContaining("position 5");
	}
}
