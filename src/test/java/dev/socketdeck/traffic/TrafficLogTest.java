package dev.socketdeck.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class TrafficLogTest {

	private static byte[] bytes(int n) {
		return new byte[n];
	}

	private static List<Long> seqs(TrafficLog.Page page) {
		return page.events().stream().map(TrafficEvent::seq).toList();
	}

	private static List<Long> range(long from, long to) {
		return LongStream.rangeClosed(from, to).boxed().toList();
	}

	@Test
	void anEmptyLogReadsAsNothing() {
		TrafficLog log = new TrafficLog(10, 100);
		TrafficLog.Page page = log.read(0, 10);
		assertThat(page.events()).isEmpty();
		assertThat(page.missed()).isZero();
		assertThat(page.next()).isZero();
		assertThat(page.last()).isZero();
		assertThat(log.lastSeq()).isZero();
		assertThat(log.dropped()).isZero();
	}

	@Test
	void numbersEventsFromOneWithoutGaps() {
		TrafficLog log = new TrafficLog(10, 100);
		for (int i = 0; i < 5; i++) {
			assertThat(log.append(TrafficType.IN, "c1", bytes(1), null).seq()).isEqualTo(i + 1);
		}
		TrafficLog.Page page = log.read(0, 100);
		assertThat(seqs(page)).isEqualTo(range(1, 5));
		assertThat(page.next()).isEqualTo(5);
		assertThat(page.last()).isEqualTo(5);
		assertThat(log.lastSeq()).isEqualTo(5);
	}

	@Test
	void keepsWhatItIsGiven() {
		TrafficLog log = new TrafficLog(10, 100);
		byte[] payload = "hi".getBytes(StandardCharsets.UTF_8);
		log.append(TrafficType.OUT, "c7", payload, null);
		log.append(TrafficType.CLOSE, "c7", null, "peer closed");
		log.append(TrafficType.INFO, null, null, "stopped listening");
		List<TrafficEvent> events = log.read(0, 10).events();
		assertThat(events.get(0).type()).isEqualTo(TrafficType.OUT);
		assertThat(events.get(0).connection()).isEqualTo("c7");
		assertThat(events.get(0).payload()).isSameAs(payload);
		assertThat(events.get(0).size()).isEqualTo(2);
		assertThat(events.get(0).note()).isNull();
		assertThat(events.get(1).payload()).isEmpty();
		assertThat(events.get(1).note()).isEqualTo("peer closed");
		assertThat(events.get(2).connection()).isNull();
		assertThat(events).allSatisfy(e -> assertThat(e.epochMillis()).isPositive());
	}

	@Test
	void theCountBudgetDropsTheOldestAndCountsThem() {
		TrafficLog log = new TrafficLog(3, 1000);
		for (int i = 0; i < 5; i++) {
			log.append(TrafficType.IN, "c1", bytes(1), null);
		}
		TrafficLog.Page page = log.read(0, 100);
		assertThat(seqs(page)).containsExactly(3L, 4L, 5L);
		assertThat(page.missed()).isEqualTo(2);
		assertThat(log.dropped()).isEqualTo(2);
		assertThat(log.lastSeq()).isEqualTo(5);
	}

	@Test
	void theByteBudgetDropsTheOldestAndCountsThem() {
		TrafficLog log = new TrafficLog(100, 10);
		log.append(TrafficType.IN, "c1", bytes(4), null);
		log.append(TrafficType.IN, "c1", bytes(4), null);
		assertThat(log.dropped()).isZero();
		log.append(TrafficType.IN, "c1", bytes(4), null); // 12 bytes: the first goes
		assertThat(seqs(log.read(0, 100))).containsExactly(2L, 3L);
		assertThat(log.dropped()).isEqualTo(1);
		log.append(TrafficType.CLOSE, "c1", null, "peer closed"); // no payload: costs no bytes
		assertThat(seqs(log.read(0, 100))).containsExactly(2L, 3L, 4L);
		log.append(TrafficType.IN, "c1", bytes(9), null); // drops until it fits
		assertThat(seqs(log.read(0, 100))).containsExactly(4L, 5L);
		assertThat(log.dropped()).isEqualTo(3);
	}

	@Test
	void anEventOverTheByteBudgetIsKeptAlone() {
		TrafficLog log = new TrafficLog(100, 10);
		log.append(TrafficType.IN, "c1", bytes(3), null);
		log.append(TrafficType.IN, "c1", bytes(50), null);
		TrafficLog.Page page = log.read(0, 100);
		assertThat(seqs(page)).containsExactly(2L);
		assertThat(page.events().get(0).size()).isEqualTo(50);
		log.append(TrafficType.IN, "c1", bytes(1), null);
		assertThat(seqs(log.read(0, 100))).containsExactly(3L);
	}

	@Test
	void pagesThroughTheLogWithTheCursor() {
		TrafficLog log = new TrafficLog(100, 1000);
		for (int i = 0; i < 10; i++) {
			log.append(TrafficType.IN, "c1", bytes(1), null);
		}
		TrafficLog.Page first = log.read(0, 4);
		assertThat(seqs(first)).isEqualTo(range(1, 4));
		assertThat(first.next()).isEqualTo(4);
		assertThat(first.last()).isEqualTo(10);
		TrafficLog.Page second = log.read(first.next(), 4);
		assertThat(seqs(second)).isEqualTo(range(5, 8));
		TrafficLog.Page third = log.read(second.next(), 4);
		assertThat(seqs(third)).containsExactly(9L, 10L);
		assertThat(third.next()).isEqualTo(10);
		TrafficLog.Page caughtUp = log.read(third.next(), 4);
		assertThat(caughtUp.events()).isEmpty();
		assertThat(caughtUp.next()).isEqualTo(10);
		assertThat(caughtUp.missed()).isZero();
		log.append(TrafficType.IN, "c1", bytes(1), null);
		assertThat(seqs(log.read(caughtUp.next(), 4))).containsExactly(11L);
	}

	@Test
	void aCursorAheadOfTheLogReadsNothingAndComesBackToTheEnd() {
		TrafficLog log = new TrafficLog(10, 100);
		log.append(TrafficType.IN, "c1", bytes(1), null);
		TrafficLog.Page page = log.read(42, 10);
		assertThat(page.events()).isEmpty();
		assertThat(page.missed()).isZero();
		assertThat(page.next()).as("so that what comes next is read").isEqualTo(1);
		assertThat(page.last()).isEqualTo(1);
	}

	@Test
	void aZeroLimitReadsNothing() {
		TrafficLog log = new TrafficLog(10, 100);
		log.append(TrafficType.IN, "c1", bytes(1), null);
		assertThat(log.read(0, 0).events()).isEmpty();
		assertThat(log.read(0, 0).next()).isZero();
		assertThat(log.read(0, -1).events()).isEmpty();
	}

	@Test
	void saysHowManyEventsWereMissedWhenTheCursorFellBehind() {
		TrafficLog log = new TrafficLog(5, 1000);
		for (int i = 0; i < 12; i++) {
			log.append(TrafficType.IN, "c1", bytes(1), null);
		}
		// 8..12 are kept; a reader at 3 missed 4..7
		TrafficLog.Page behind = log.read(3, 100);
		assertThat(behind.missed()).isEqualTo(4);
		assertThat(seqs(behind)).isEqualTo(range(8, 12));
		assertThat(log.read(0, 100).missed()).isEqualTo(7);
		assertThat(log.read(7, 100).missed()).isZero();
		assertThat(log.read(9, 100).missed()).isZero();
		// a short page still says what was missed and moves on from the oldest kept
		TrafficLog.Page shortPage = log.read(3, 2);
		assertThat(shortPage.missed()).isEqualTo(4);
		assertThat(seqs(shortPage)).containsExactly(8L, 9L);
		assertThat(shortPage.next()).isEqualTo(9);
	}

	@Test
	void manyThreadsAppendWithoutLosingOrRepeatingANumber() throws Exception {
		int threads = 8;
		int each = 1000;
		TrafficLog log = new TrafficLog(threads * each, Long.MAX_VALUE);
		CountDownLatch go = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
			List<Future<?>> done = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String connection = "c" + t;
				done.add(pool.submit(() -> {
					go.await();
					for (int i = 0; i < each; i++) {
						log.append(TrafficType.IN, connection, bytes(1), null);
					}
					return null;
				}));
			}
			go.countDown();
			for (Future<?> f : done) {
				f.get(10, TimeUnit.SECONDS);
			}
		}
		TrafficLog.Page page = log.read(0, Integer.MAX_VALUE);
		assertThat(seqs(page)).isEqualTo(range(1, threads * each));
		assertThat(log.dropped()).isZero();
	}

	@Test
	void needsRoomForOneEvent() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TrafficLog(0, 100));
		assertThatIllegalArgumentException().isThrownBy(() -> new TrafficLog(10, 0));
	}

	@Test
	void aCursorFromTheFutureMeansFromNowOn() {
		TrafficLog log = new TrafficLog(10, 1000);
		log.append(TrafficType.INFO, null, null, "one");
		log.append(TrafficType.INFO, null, null, "two");
		TrafficLog.Page page = log.read(500, 10);
		assertThat(page.events()).isEmpty();
		assertThat(page.next()).isEqualTo(2);
		log.append(TrafficType.INFO, null, null, "three");
		assertThat(log.read(page.next(), 10).events()).extracting(TrafficEvent::note).containsExactly("three");
	}
}
