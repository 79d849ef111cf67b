package dev.socketdeck.web;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import dev.socketdeck.traffic.TrafficEvent;
import dev.socketdeck.traffic.TrafficLog;
import dev.socketdeck.traffic.TrafficType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The batch reader behind the SSE streams and the STOMP traffic topic. */
class TrafficCursorTest {

	private final TrafficLog log = new TrafficLog(10_000, 8 * 1024 * 1024);

	@Test
	void readsWhatArrivedInBatchesOfConsecutiveEvents() {
		append(this.log, 1200, 1);
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 500, 2000, Long.MAX_VALUE);

		TrafficCursor.Batch first = cursor.next();
		assertThat(seqs(first)).containsExactlyElementsOf(range(1, 500));
		assertThat(first.dropped()).isZero();
		assertThat(first.next()).isEqualTo(500);
		assertThat(first.caughtUp()).isFalse();
		assertThat(seqs(cursor.next())).containsExactlyElementsOf(range(501, 1000));
		TrafficCursor.Batch last = cursor.next();
		assertThat(seqs(last)).containsExactlyElementsOf(range(1001, 1200));
		assertThat(last.caughtUp()).isTrue();
		assertThat(cursor.position()).isEqualTo(1200);

		TrafficCursor.Batch none = cursor.next();
		assertThat(none.isEmpty()).isTrue();
		assertThat(none.next()).as("nothing new keeps the cursor").isEqualTo(1200);
		assertThat(none.caughtUp()).isTrue();
	}

	@Test
	void aReaderTooFarBehindSkipsToTheNewestAndCountsWhatItSkipped() {
		append(this.log, 3000, 1);
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 500, 500, Long.MAX_VALUE);

		TrafficCursor.Batch batch = cursor.next();
		assertThat(batch.dropped()).isEqualTo(2500);
		assertThat(seqs(batch)).containsExactlyElementsOf(range(2501, 3000));
		assertThat(batch.caughtUp()).isTrue();
	}

	@Test
	void aBacklogWithinTheLimitIsReadInFull() {
		append(this.log, 2000, 1);
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 500, 2000, Long.MAX_VALUE);
		long read = 0;
		for (int i = 0; i < 4; i++) {
			TrafficCursor.Batch b = cursor.next();
			assertThat(b.dropped()).isZero();
			read += b.events().size();
		}
		assertThat(read).isEqualTo(2000);
	}

	@Test
	void eventsTheLogAlreadyDroppedCountAsDropped() {
		TrafficLog small = new TrafficLog(100, 1024 * 1024);
		append(small, 300, 1);
		TrafficCursor cursor = new TrafficCursor(small, 0, 500, 2000, Long.MAX_VALUE);

		TrafficCursor.Batch batch = cursor.next();
		assertThat(batch.dropped()).isEqualTo(200);
		assertThat(seqs(batch)).containsExactlyElementsOf(range(201, 300));
	}

	@Test
	void aBatchKeepsItsNewestEventsWithinTheByteBudget() {
		append(this.log, 5, 100);
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 500, 500, 250);

		TrafficCursor.Batch batch = cursor.next();
		assertThat(seqs(batch)).containsExactly(4L, 5L);
		assertThat(batch.dropped()).isEqualTo(3);
		assertThat(batch.next()).isEqualTo(5);
	}

	@Test
	void anEventLargerThanTheByteBudgetStillGoesAlone() {
		append(this.log, 2, 1000);
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 500, 500, 250);

		TrafficCursor.Batch batch = cursor.next();
		assertThat(seqs(batch)).containsExactly(2L);
		assertThat(batch.dropped()).isEqualTo(1);
	}

	@Test
	void everyBatchAccountsForEverySequenceNumberItMovedPast() {
		TrafficCursor cursor = new TrafficCursor(this.log, 0, 50, 50, 300);
		long previous = 0;
		for (int round = 0; round < 40; round++) {
			// bursts of varying size and payload, some beyond what a batch holds
			append(this.log, (round * 37) % 130, (round * 11) % 40);
			TrafficCursor.Batch b = cursor.next();
			assertThat(b.next() - b.dropped() - b.events().size()).as("round %s", round).isEqualTo(previous);
			List<Long> seqs = seqs(b);
			if (!seqs.isEmpty()) {
				assertThat(seqs).containsExactlyElementsOf(range(seqs.getFirst(), b.next()));
			}
			assertThat(b.events()).hasSizeLessThanOrEqualTo(50);
			previous = b.next();
		}
		assertThat(previous).isEqualTo(this.log.lastSeq());
	}

	@Test
	void startsAfterTheGivenSequenceNumber() {
		append(this.log, 10, 1);
		TrafficCursor cursor = new TrafficCursor(this.log, 7, 500, 500, Long.MAX_VALUE);
		assertThat(seqs(cursor.next())).containsExactly(8L, 9L, 10L);
	}

	@Test
	void refusesLimitsThatCannotWork() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrafficCursor(this.log, 0, 0, 10, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrafficCursor(this.log, 0, 10, 5, 10));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrafficCursor(this.log, 0, 10, 10, 0));
	}

	private static void append(TrafficLog log, int n, int size) {
		for (int i = 0; i < n; i++) {
			log.append(TrafficType.IN, "c1", "x".repeat(size).getBytes(StandardCharsets.US_ASCII), null);
		}
	}

	private static List<Long> seqs(TrafficCursor.Batch b) {
		return b.events().stream().map(TrafficEvent::seq).toList();
	}

	private static List<Long> range(long from, long to) {
		return LongStream.rangeClosed(from, to).boxed().toList();
	}
}
