package dev.socketdeck.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.json.JsonMapper;

class FramingSpecTest {

	private final JsonMapper json = JsonMapper.builder().build();

	@Test
	void parsesLabels() {
		assertThat(FramingSpec.parse("raw")).isEqualTo(FramingSpec.of(Framing.RAW));
		assertThat(FramingSpec.parse("line")).isEqualTo(FramingSpec.of(Framing.LINE));
		assertThat(FramingSpec.parse("stx-etx")).isEqualTo(FramingSpec.of(Framing.STX_ETX));
		assertThat(FramingSpec.parse("STX_ETX")).isEqualTo(FramingSpec.of(Framing.STX_ETX));
		assertThat(FramingSpec.parse(" Line ")).isEqualTo(FramingSpec.of(Framing.LINE));
	}

	@Test
	void parsesLengthLabelsWithThePrefixSize() {
		assertThat(FramingSpec.parse("length").lengthBytes()).isEqualTo(2);
		assertThat(FramingSpec.parse("length-1"))
			.isEqualTo(new FramingSpec(Framing.LENGTH, 1, FramingSpec.DEFAULT_LINE_ENDING, FramingSpec.DEFAULT_FLUSH_MILLIS));
		assertThat(FramingSpec.parse("length-2").lengthBytes()).isEqualTo(2);
		assertThat(FramingSpec.parse("length-4").lengthBytes()).isEqualTo(4);
	}

	@Test
	void printsTheLabelItParses() {
		for (String label : new String[] { "raw", "line", "length-1", "length-2", "length-4", "stx-etx" }) {
			assertThat(FramingSpec.parse(label)).hasToString(label);
		}
	}

	@Test
	void refusesAnUnknownLabelNamingTheChoices() {
		assertThatIllegalArgumentException().isThrownBy(() -> FramingSpec.parse("http"))
			.withMessage("unknown framing 'http' (use raw, line, length or stx-etx)");
		assertThatIllegalArgumentException().isThrownBy(() -> FramingSpec.parse("length-x"))
			.withMessageContaining("length-1, length-2 or length-4");
		assertThatIllegalArgumentException().isThrownBy(() -> FramingSpec.parse("length-3"))
			.withMessage("lengthBytes must be 1, 2 or 4, not 3");
	}

	@Test
	void checksItsOptions() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FramingSpec(Framing.LINE, 2, "\r", 200))
			.withMessageContaining("lineEnding");
		assertThatIllegalArgumentException().isThrownBy(() -> new FramingSpec(Framing.LINE, 2, "\n", -1))
			.withMessageContaining("flushMillis");
	}

	@Test
	void makesTheDecoderAndEncoderOfItsFraming() {
		assertThat(FramingSpec.parse("raw").newDecoder(1024)).isInstanceOf(RawDecoder.class);
		assertThat(FramingSpec.parse("line").newDecoder(1024)).isInstanceOf(LineDecoder.class);
		assertThat(FramingSpec.parse("length-4").newDecoder(1024)).isInstanceOf(LengthDecoder.class);
		assertThat(FramingSpec.parse("stx-etx").newDecoder(1024)).isInstanceOf(StxEtxDecoder.class);
		byte[] payload = { 'h', 'i' };
		assertThat(FramingSpec.parse("raw").encoder().encode(payload)).isSameAs(payload);
		assertThat(FramingSpec.parse("line").encoder()).isInstanceOf(LineEncoder.class);
		assertThat(FramingSpec.parse("length-4").encoder().encode(payload)).containsExactly(0, 0, 0, 2, 'h', 'i');
		assertThat(FramingSpec.parse("stx-etx").encoder()).isInstanceOf(StxEtxEncoder.class);
	}

	@Test
	void readsALabelFromJson() {
		assertThat(this.json.readValue("\"line\"", FramingSpec.class)).isEqualTo(FramingSpec.of(Framing.LINE));
		assertThat(this.json.readValue("\"length-4\"", FramingSpec.class)).isEqualTo(FramingSpec.parse("length-4"));
	}

	@Test
	void readsAnObjectFromJsonWithDefaultsForAbsentFields() {
		assertThat(this.json.readValue("""
				{"type":"length","lengthBytes":4}""", FramingSpec.class))
			.isEqualTo(new FramingSpec(Framing.LENGTH, 4, "\n", 200));
		assertThat(this.json.readValue("""
				{"type":"line","lineEnding":"\\r\\n","flushMillis":0}""", FramingSpec.class))
			.isEqualTo(new FramingSpec(Framing.LINE, 2, "\r\n", 0));
		assertThat(this.json.readValue("""
				{"type":"STX_ETX"}""", FramingSpec.class)).isEqualTo(FramingSpec.of(Framing.STX_ETX));
	}

	@Test
	void readsEitherFormAsAField() {
		record Listener(String name, FramingSpec framing) {
		}
		assertThat(this.json.readValue("""
				{"name":"echo","framing":"stx-etx"}""", Listener.class).framing())
			.isEqualTo(FramingSpec.of(Framing.STX_ETX));
		assertThat(this.json.readValue("""
				{"name":"echo","framing":{"type":"length","lengthBytes":1}}""", Listener.class).framing())
			.isEqualTo(FramingSpec.parse("length-1"));
	}

	@Test
	void refusesBadJsonWithTheReason() {
		assertThatExceptionOfType(DatabindException.class)
			.isThrownBy(() -> this.json.readValue("\"http\"", FramingSpec.class))
			.withMessageContaining("use raw, line, length or stx-etx");
		assertThatExceptionOfType(DatabindException.class)
			.isThrownBy(() -> this.json.readValue("""
					{"lengthBytes":4}""", FramingSpec.class))
			.withMessageContaining("framing needs a type");
		assertThatExceptionOfType(DatabindException.class)
			.isThrownBy(() -> this.json.readValue("""
					{"type":"length","lengthBytes":3}""", FramingSpec.class))
			.withMessageContaining("lengthBytes must be 1, 2 or 4, not 3");
	}

	@Test
	void writesFramingsAsTheirLabels() {
		assertThat(this.json.writeValueAsString(Framing.STX_ETX)).isEqualTo("\"stx-etx\"");
		assertThat(this.json.writeValueAsString(Framing.LINE)).isEqualTo("\"line\"");
	}

	@Test
	void writesASpecAsAnObjectThatReadsBack() {
		FramingSpec spec = new FramingSpec(Framing.LENGTH, 4, "\r\n", 50);
		String written = this.json.writeValueAsString(spec);
		assertThat(written).isEqualTo("""
				{"type":"length","lengthBytes":4,"lineEnding":"\\r\\n","flushMillis":50}""");
		assertThat(this.json.readValue(written, FramingSpec.class)).isEqualTo(spec);
	}
}
