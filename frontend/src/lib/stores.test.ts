import { describe, expect, test } from 'vitest';
import type { ListenerEventMessage, StatsMessage } from './api';
import { compareInstants, ListenersStore, Ring, StatsStore, TrafficStore, type TrafficItem } from './stores';
import { batch, FakeLive, FakeLog, listener, liveBatch, range } from '../test/fakes';

/** The sequence numbers of the events held, oldest first. */
function seqs(store: TrafficStore): number[] {
  return store.ring.since(0).flatMap((i) => (i.kind === 'event' ? [i.event.seq] : []));
}

function markers(store: TrafficStore): TrafficItem[] {
  return store.ring.since(0).filter((i) => i.kind !== 'event');
}

async function loaded(log: FakeLog, options = {}): Promise<TrafficStore> {
  const store = new TrafficStore('demo', log, options);
  await store.load();
  return store;
}

describe('compareInstants', () => {
  test('orders Java instants whatever their number of fractional digits', () => {
    expect(compareInstants('2026-11-25T23:30:27.37Z', '2026-11-25T23:30:27.370961754Z')).toBeLessThan(0);
    expect(compareInstants('2026-11-25T23:30:27.371Z', '2026-11-25T23:30:27.370961754Z')).toBeGreaterThan(0);
    expect(compareInstants('2026-11-25T23:30:27Z', '2026-11-25T23:30:27.000Z')).toBe(0);
    expect(compareInstants('2026-11-25T23:30:28Z', '2026-11-25T23:30:27.999999999Z')).toBeGreaterThan(0);
  });
});

describe('Ring', () => {
  test('keeps the newest items, addressed by a running index', () => {
    const r = new Ring<number>(3);
    for (let i = 0; i < 5; i++) r.push(i * 10);
    expect(r.size).toBe(3);
    expect(r.first).toBe(2);
    expect(r.total).toBe(5);
    expect(r.at(1)).toBeUndefined();
    expect(r.at(2)).toBe(20);
    expect(r.since(0)).toEqual([20, 30, 40]);
    expect(r.since(4)).toEqual([40]);
  });
});

describe('TrafficStore history', () => {
  test('loads the newest 2000 events in pages of 1000', async () => {
    const log = new FakeLog();
    log.append(3000);
    const store = await loaded(log);
    expect(seqs(store)).toEqual(range(1001, 3000));
    expect(log.calls).toEqual([
      [0, 1],
      [1000, 1000],
      [2000, 1000],
    ]);
    expect(store.cursor).toBe(3000);
    expect(store.historyFrom).toBe(1001);
    expect(store.dropped).toBe(0);
    expect(store.loaded).toBe(true);
  });

  test('an empty log loads nothing and starts at 0', async () => {
    const store = await loaded(new FakeLog());
    expect(seqs(store)).toEqual([]);
    expect(store.cursor).toBe(0);
  });

  test('events the log dropped while the history loads are counted', async () => {
    const log = new FakeLog();
    log.append(50);
    log.first = 21; // 1..20 are gone, but the probe says last = 50 and history starts at 0
    const store = await loaded(log);
    expect(seqs(store)).toEqual(range(21, 50));
    expect(store.dropped).toBe(20);
    expect(markers(store)).toEqual([{ kind: 'dropped', count: 20, after: 0 }]);
  });
});

describe('TrafficStore live batches', () => {
  test('appends batches in order', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(5);
    await store.apply(batch(range(11, 15)));
    expect(seqs(store)).toEqual(range(1, 15));
    expect(store.cursor).toBe(15);
  });

  test('ignores events already seen (duplicates)', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(7);
    await store.apply(batch(range(5, 12))); // overlaps the history
    await store.apply(batch(range(11, 17))); // overlaps the previous batch
    await store.apply(batch(range(11, 17))); // the same again
    expect(seqs(store)).toEqual(range(1, 17));
    expect(store.received).toBe(17);
    expect(store.dropped).toBe(0);
  });

  test('fetches a gap that dropped does not explain over REST', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(20);
    log.calls = [];
    // starts after 25: 11..25 never came live (a reconnect, a feed that started later)
    await store.apply(batch(range(26, 30)));
    expect(log.calls).toEqual([[10, 15]]);
    expect(seqs(store)).toEqual(range(1, 30));
    expect(store.dropped).toBe(0);
    expect(markers(store)).toEqual([]);
  });

  test('counts what dropped says was skipped, and shows a marker there', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(30);
    log.calls = [];
    // 31..35 skipped, then 36..40; previous next = 40 - 5 - 5 = 30: nothing to fetch before
    await store.apply({ ...batch(range(26, 30)) });
    await store.apply(batch(range(36, 40), 5));
    expect(seqs(store)).toEqual([...range(1, 30), ...range(36, 40)]);
    expect(store.dropped).toBe(5);
    expect(markers(store)).toEqual([{ kind: 'dropped', count: 5, after: 30 }]);
    expect(log.calls).toEqual([[10, 15]]); // the gap before 26, not the dropped ones
  });

  test('a batch with only a dropped count still moves the cursor', async () => {
    const log = new FakeLog();
    const store = await loaded(log);
    log.append(500);
    await store.apply({ listener: 'demo', events: [], dropped: 500, next: 500 });
    expect(store.dropped).toBe(500);
    expect(store.cursor).toBe(500);
    log.append(1);
    await store.apply(batch([501]));
    expect(seqs(store)).toEqual([501]);
  });

  test('a gap and a drop in one batch: the gap is fetched, the drop counted', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(35);
    // previous next = 45 - 5 - 10 = 30: fetch 11..30, 31..35 dropped, 36..45 live
    await store.apply(batch(range(36, 45), 5));
    expect(seqs(store)).toEqual([...range(1, 30), ...range(36, 45)]);
    expect(store.dropped).toBe(5);
  });

  test('a gap the log no longer holds is counted as dropped', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(40);
    log.first = 31; // 11..30 are gone from the server's log too
    await store.apply(batch(range(46, 50)));
    expect(seqs(store)).toEqual([...range(1, 10), ...range(31, 50)]);
    expect(store.dropped).toBe(20);
  });

  test('a gap that cannot be fetched is counted as dropped, and the store goes on', async () => {
    const log = new FakeLog();
    log.append(10);
    const store = await loaded(log);
    log.append(10);
    log.failing = true;
    await store.apply(batch(range(16, 20)));
    expect(seqs(store)).toEqual([...range(1, 10), ...range(16, 20)]);
    expect(store.dropped).toBe(5);
    expect(store.error).toMatch(/connection refused/);
  });

  test('a gap larger than the history is fetched only for its newest part', async () => {
    const log = new FakeLog();
    const store = await loaded(log, { history: 100 });
    log.append(1000);
    log.calls = [];
    await store.apply(batch(range(996, 1000)));
    expect(store.dropped).toBe(895);
    expect(seqs(store)).toEqual(range(896, 1000));
    expect(log.calls).toEqual([[895, 100]]);
  });

  test('batches that arrive while the history loads are applied after it, without duplicates', async () => {
    const log = new FakeLog();
    log.append(100);
    const store = new TrafficStore('demo', log);
    const loading = store.load();
    // the live feed started at 90 while the history was being read
    log.append(10);
    const b1 = store.apply(batch(range(91, 105)));
    const b2 = store.apply(batch(range(106, 110)));
    await Promise.all([loading, b1, b2]);
    expect(seqs(store)).toEqual(range(1, 110));
  });

  test('keeps a bounded ring', async () => {
    const log = new FakeLog();
    const store = await loaded(log, { capacity: 100 });
    for (let from = 1; from <= 1000; from += 50) {
      log.append(50);
      await store.apply(batch(range(from, from + 49)));
    }
    expect(store.ring.size).toBe(100);
    expect(seqs(store)).toEqual(range(901, 1000));
    expect(store.received).toBe(1000);
  });

  test('without a history (it failed), the first batch is the start', async () => {
    const log = new FakeLog();
    log.append(100);
    log.failing = true;
    const store = await loaded(log);
    expect(store.cursor).toBeNull();
    expect(store.error).toMatch(/history/);
    log.failing = false;
    await store.apply(batch(range(101, 105)));
    expect(seqs(store)).toEqual(range(101, 105));
    expect(store.dropped).toBe(0);
  });

  test('a listener made again under its name starts over at 1', async () => {
    const log = new FakeLog();
    log.append(20);
    const store = await loaded(log);
    await store.reset();
    await store.apply(batch(range(1, 3)));
    expect(seqs(store)).toEqual([...range(1, 20), 1, 2, 3]);
    expect(markers(store)).toEqual([{ kind: 'reset' }]);
  });

  test('after a reconnect to a restarted server (its log starts over) the store starts over', async () => {
    const log = new FakeLog();
    log.append(50);
    const live = new FakeLive();
    const store = new TrafficStore('demo', log);
    store.connect(live);
    await store.idle();
    // the server restarted: a new log, 3 events so far
    log.last = 0;
    log.append(3);
    live.connected(true);
    live.send('/topic/listeners/demo/traffic', liveBatch([3, 4], 0));
    await store.idle();
    await store.idle();
    expect(seqs(store)).toEqual([...range(1, 50), 1, 2, 3, 4]);
    expect(markers(store)).toEqual([{ kind: 'reset' }]);
  });

  test('after a reconnect to the same server nothing starts over; the gap comes with the next batch', async () => {
    const log = new FakeLog();
    log.append(10);
    const live = new FakeLive();
    const store = new TrafficStore('demo', log);
    store.connect(live);
    await store.idle();
    log.append(10);
    live.connected(true);
    live.send('/topic/listeners/demo/traffic', liveBatch([19, 20]));
    await store.idle();
    await store.idle();
    expect(seqs(store)).toEqual(range(1, 20));
    expect(markers(store)).toEqual([]);
  });

  test('connect subscribes to the traffic topic and loads the history', async () => {
    const log = new FakeLog();
    log.append(3);
    const live = new FakeLive();
    const store = new TrafficStore('demo', log);
    const off = store.connect(live);
    log.append(2);
    live.send('/topic/listeners/demo/traffic', liveBatch([4, 5]));
    await store.idle();
    await store.idle();
    expect(seqs(store)).toEqual(range(1, 5));
    off();
    expect(live.handlers.size).toBe(0);
    expect(live.connectCallbacks.size).toBe(0);
  });

  test('remembers the connections seen', async () => {
    const log = new FakeLog();
    const store = await loaded(log);
    log.append(2);
    const b = batch([1, 2]);
    b.events[1]!.connection = 'c2';
    await store.apply(b);
    expect([...store.connections]).toEqual(['c1', 'c2']);
  });
});

describe('ListenersStore', () => {
  const message = (kind: ListenerEventMessage['kind'], id: string, since: string, state = 'running'): ListenerEventMessage => ({
    kind,
    listener: listener(id, { since, state: state as 'running' }),
  });

  test('loads a snapshot, then applies created, started, stopped, failed and deleted', async () => {
    const store = new ListenersStore({ listeners: async () => [listener('b'), listener('a')] });
    const changes: (string | null)[] = [];
    store.subscribe((id) => changes.push(id));
    await store.load();
    expect(store.all().map((l) => l.id)).toEqual(['a', 'b']);

    store.apply(message('created', 'c', '2026-11-25T23:01:00Z', 'stopped'));
    store.apply(message('started', 'c', '2026-11-25T23:01:01Z', 'running'));
    expect(store.get('c')?.state).toBe('running');
    store.apply(message('failed', 'a', '2026-11-25T23:01:02Z', 'failed'));
    expect(store.get('a')?.state).toBe('failed');
    store.apply(message('stopped', 'b', '2026-11-25T23:01:03Z', 'stopped'));
    store.apply(message('deleted', 'b', '2026-11-25T23:01:03Z', 'stopped'));
    expect(store.all().map((l) => l.id)).toEqual(['a', 'c']);
    expect(changes).toEqual([null, 'c', 'c', 'a', 'b', 'b']);
  });

  test('events during the snapshot are applied after it; one older than what it holds is ignored', async () => {
    let resolve: (v: ReturnType<typeof listener>[]) => void = () => {};
    const store = new ListenersStore({ listeners: () => new Promise((r) => (resolve = r)) });
    const loading = store.load();
    // published before the snapshot was read, delivered while it loads
    store.apply(message('started', 'a', '2026-11-25T23:00:01Z', 'running'));
    // published after
    store.apply(message('created', 'new', '2026-11-25T23:00:03Z', 'running'));
    expect(store.all()).toEqual([]);
    resolve([listener('a', { since: '2026-11-25T23:00:02Z', state: 'stopped' })]);
    await loading;
    expect(store.get('a')?.state).toBe('stopped');
    expect(store.get('new')).toBeDefined();
  });

  test('reloads the snapshot after a reconnect', async () => {
    let snapshot = [listener('a')];
    const store = new ListenersStore({ listeners: async () => snapshot });
    const live = new FakeLive();
    store.connect(live);
    await store.load();
    live.send('/topic/listeners', message('created', 'b', '2026-11-25T23:05:00Z'));
    expect(store.all().map((l) => l.id)).toEqual(['a', 'b']);
    snapshot = [listener('c')];
    live.connected(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(store.all().map((l) => l.id)).toEqual(['c']);
  });

  test('hands each message on, so a page needs no second subscription', async () => {
    const store = new ListenersStore({ listeners: async () => [] });
    const live = new FakeLive();
    const seen: string[] = [];
    store.connect(live, (m) => seen.push(`${m.kind} ${m.listener.id}`));
    live.send('/topic/listeners', message('created', 'x', '2026-11-25T23:06:00Z'));
    expect(seen).toEqual(['created x']);
    expect(store.get('x')).toBeDefined();
  });

  test('put and remove apply REST answers at once', async () => {
    const store = new ListenersStore({ listeners: async () => [] });
    await store.load();
    store.put(listener('x'));
    expect(store.get('x')).toBeDefined();
    store.remove('x');
    expect(store.get('x')).toBeUndefined();
  });
});

describe('StatsStore', () => {
  const stats = (id: string, second: number): StatsMessage => ({
    ...listener(id).stats,
    listener: id,
    time: new Date(Date.UTC(2026, 10, 25, 23, 0, second)).toISOString(),
    bytesInPerSec: second,
    bytesOutPerSec: 0,
    framesInPerSec: 0,
    framesOutPerSec: 0,
  });

  test('keeps the newest sample and the last 60 seconds', () => {
    const store = new StatsStore(60);
    for (let s = 0; s < 90; s++) store.apply(stats('a', s));
    expect(store.latest('a')?.bytesInPerSec).toBe(89);
    expect(store.history('a')).toHaveLength(61);
    expect(store.history('a')[0]?.bytesInPerSec).toBe(29);
    expect(store.history('b')).toEqual([]);
  });

  test('watchers of one listener share one subscription', () => {
    const store = new StatsStore();
    const live = new FakeLive();
    const off1 = store.watch('a', live);
    const off2 = store.watch('a', live);
    expect(live.handlers.get('/topic/listeners/a/stats')?.size).toBe(1);
    live.send('/topic/listeners/a/stats', stats('a', 1));
    expect(store.latest('a')).toBeDefined();
    off1();
    off1();
    expect(live.handlers.size).toBe(1);
    off2();
    expect(live.handlers.size).toBe(0);
  });
});
