import { beforeEach, describe, expect, test } from 'vitest';
import { sessionStreamPath } from './api';
import { retryDelay, SessionTrafficStream } from './sse';
import { TrafficStore } from './stores';
import { FakeEventSource, FakeLog, range } from '../test/fakes';

let flushes: (() => void)[] = [];
let retries: { run: () => void; ms: number; cancelled: boolean }[] = [];

function runFlushes(): void {
  const now = flushes;
  flushes = [];
  for (const f of now) f();
}

async function started(last = 0): Promise<{ log: FakeLog; store: TrafficStore; stream: SessionTrafficStream }> {
  const log = new FakeLog();
  log.append(last);
  const store = new TrafficStore('s1', log);
  const stream = new SessionTrafficStream(store, (after) => sessionStreamPath('s1', after), {
    open: (url) => new FakeEventSource(url),
    schedule: (f) => flushes.push(f),
    delay: (run, ms) => {
      const r = { run, ms, cancelled: false };
      retries.push(r);
      return () => {
        r.cancelled = true;
      };
    },
  });
  await stream.start();
  return { log, store, stream };
}

function seqs(store: TrafficStore): number[] {
  return store.ring.since(0).flatMap((i) => (i.kind === 'event' ? [i.event.seq] : []));
}

beforeEach(() => {
  FakeEventSource.opened = [];
  flushes = [];
  retries = [];
});

describe('SessionTrafficStream', () => {
  test('loads the history first, then opens the stream just after it', async () => {
    const { store, stream } = await started(5);
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5]);
    expect(FakeEventSource.opened.map((s) => s.url)).toEqual(['/api/sessions/s1/traffic/stream?after=5']);
    expect(stream.state.get()).toBe('connecting');
    FakeEventSource.last().emit('open');
    expect(stream.state.get()).toBe('live');
  });

  test('an empty session opens the stream after 0', async () => {
    await started(0);
    expect(FakeEventSource.last().url).toBe('/api/sessions/s1/traffic/stream?after=0');
  });

  test('a burst of traffic events is applied as one batch, in order, once', async () => {
    const { log, store } = await started(2);
    log.append(3);
    FakeEventSource.last().traffic(3, 4, 5);
    expect(flushes).toHaveLength(1);
    expect(seqs(store)).toEqual([1, 2]);
    runFlushes();
    await store.idle();
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5]);
    expect(store.ring.at(2)).toMatchObject({ kind: 'event', event: { session: 's1', text: 'frame 3' } });
    // replayed events (a reconnect from an older cursor) are not shown twice
    FakeEventSource.last().traffic(4, 5);
    runFlushes();
    await store.idle();
    expect(seqs(store)).toEqual([1, 2, 3, 4, 5]);
  });

  test('`dropped` becomes a marker where the stream skipped ahead', async () => {
    const { log, store } = await started(2);
    log.append(20);
    const s = FakeEventSource.last();
    s.traffic(3);
    s.emit('dropped', '{"dropped":15,"reason":"this stream fell behind"}');
    s.traffic(19, 20);
    runFlushes();
    await store.idle();
    expect(seqs(store)).toEqual([1, 2, 3, 19, 20]);
    expect(store.dropped).toBe(15);
    expect(store.ring.since(0).filter((i) => i.kind === 'dropped')).toEqual([{ kind: 'dropped', count: 15, after: 3 }]);
    // the gap was explained: nothing was fetched over REST for it
    expect(log.calls.every(([after]) => after < 3)).toBe(true);
  });

  test('a lost stream is reopened after the last event received, with back-off', async () => {
    const { log, store, stream } = await started(2);
    const first = FakeEventSource.last();
    first.emit('open');
    log.append(2);
    first.traffic(3, 4);
    first.emit('error');
    expect(first.closed).toBe(true);
    expect(stream.state.get()).toBe('retrying');
    expect(retries.map((r) => r.ms)).toEqual([500]);
    // what came before the loss is applied
    await store.idle();
    expect(seqs(store)).toEqual([1, 2, 3, 4]);
    // a late event of the old source is ignored
    first.traffic(5);
    runFlushes();
    await store.idle();
    expect(seqs(store)).toEqual([1, 2, 3, 4]);
    retries[0]!.run();
    const second = FakeEventSource.last();
    expect(second.url).toBe('/api/sessions/s1/traffic/stream?after=4');
    second.emit('error');
    expect(retries.map((r) => r.ms)).toEqual([500, 1000]);
    retries[1]!.run();
    FakeEventSource.last().emit('open');
    expect(stream.state.get()).toBe('live');
  });

  test('`end` closes the stream for good and keeps the reason', async () => {
    const { stream } = await started(0);
    const s = FakeEventSource.last();
    s.emit('end', '{"reason":"session deleted"}');
    expect(s.closed).toBe(true);
    expect(stream.state.get()).toBe('ended');
    expect(stream.endReason).toBe('session deleted');
    s.emit('error');
    expect(retries).toHaveLength(0);
    stream.stop();
    expect(stream.state.get()).toBe('ended');
  });

  test('end() gives up a stream that is retrying (the session was found gone)', async () => {
    const { stream } = await started(0);
    FakeEventSource.last().emit('error');
    stream.end('the session no longer exists');
    expect(retries[0]!.cancelled).toBe(true);
    expect(stream.state.get()).toBe('ended');
    expect(stream.endReason).toBe('the session no longer exists');
  });

  test('stop() closes the stream and cancels a pending reconnect', async () => {
    const { stream } = await started(0);
    FakeEventSource.last().emit('error');
    expect(retries).toHaveLength(1);
    stream.stop();
    expect(retries[0]!.cancelled).toBe(true);
    expect(stream.state.get()).toBe('idle');
  });

  test('stopped while the history loads: no stream is opened', async () => {
    const log = new FakeLog();
    const store = new TrafficStore('s1', log);
    const stream = new SessionTrafficStream(store, (a) => sessionStreamPath('s1', a), { open: (u) => new FakeEventSource(u) });
    const starting = stream.start();
    stream.stop();
    await starting;
    expect(FakeEventSource.opened).toHaveLength(0);
  });

  test('when the history cannot be loaded, the stream starts from what comes next', async () => {
    const log = new FakeLog();
    log.failing = true;
    const store = new TrafficStore('s1', log);
    const stream = new SessionTrafficStream(store, (a) => sessionStreamPath('s1', a), {
      open: (u) => new FakeEventSource(u),
      schedule: (f) => flushes.push(f),
    });
    await stream.start();
    expect(FakeEventSource.last().url).toBe('/api/sessions/s1/traffic/stream');
    expect(store.error).toMatch(/history could not be loaded/);
    log.failing = false;
    log.append(8);
    FakeEventSource.last().traffic(...range(7, 8));
    runFlushes();
    await store.idle();
    expect(seqs(store)).toEqual([7, 8]);
  });
});

describe('retryDelay', () => {
  test('doubles from 0.5 s up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelay)).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});
