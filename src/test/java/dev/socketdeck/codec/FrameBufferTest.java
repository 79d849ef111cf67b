package dev.socketdeck.codec;

import static dev.socketdeck.codec.Wire.ascii;
import static dev.socketdeck.codec.Wire.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameBufferTest {

	@Test
	void holdsNothingUntilTheFirstByte() {
		assertThat(new FrameBuffer(1000).capacity()).isZero();
	}

	@Test
	void growsGeometricallyUpToTheLimit() {
		FrameBuffer buffer = new FrameBuffer(1000);
		buffer.append(ascii("a"), 0, 1);
		assertThat(buffer.capacity()).isEqualTo(FrameBuffer.INITIAL_CAPACITY);
		buffer.append(repeat('b', 256), 0, 256);
		assertThat(buffer.capacity()).isEqualTo(512);
		buffer.append(repeat('c', 500), 0, 500);
		assertThat(buffer.capacity()).isEqualTo(1000);
		assertThat(buffer.length()).isEqualTo(757);
		assertThat(buffer.take(3)).isEqualTo(ascii("abb"));
		assertThat(buffer.length()).isZero();
		assertThat(buffer.capacity()).as("small enough to keep").isEqualTo(1000);
	}

	@Test
	void letsGoOfABigArrayOnceEmptied() {
		FrameBuffer buffer = new FrameBuffer(100_000);
		buffer.append(new byte[50_000], 0, 50_000);
		assertThat(buffer.take(50_000, new byte[0], 0)).hasSize(50_000);
		assertThat(buffer.capacity()).isZero();
	}

	@Test
	void takesTheHeldBytesThenBytesFromTheRead() {
		FrameBuffer buffer = new FrameBuffer(100);
		buffer.append(ascii("xhel"), 1, 3);
		assertThat(buffer.take(5, ascii("__lo__"), 2)).isEqualTo(ascii("hello"));
	}
}
