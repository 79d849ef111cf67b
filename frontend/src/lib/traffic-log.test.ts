// @vitest-environment jsdom
import { beforeEach, describe, expect, test } from 'vitest';
import type { TrafficEventView } from './api';
import { TrafficStore } from './stores';
import { TrafficLogView, textPayload } from './traffic-log';
import { batch, event, FakeLog, range } from '../test/fakes';

const XSS = '<img src=x onerror=alert(1)>';

let frames: (() => void)[] = [];
function runFrames(): void {
  const now = frames;
  frames = [];
  for (const f of now) f();
}

async function setup(maxRows = 500): Promise<{ log: FakeLog; store: TrafficStore; view: TrafficLogView; root: HTMLElement }> {
  const log = new FakeLog();
  const store = new TrafficStore('demo', log);
  await store.load();
  const root = document.createElement('div');
  root.id = 'traffic-log';
  document.body.replaceChildren(root);
  const view = new TrafficLogView(root, store, { maxRows, schedule: (f) => frames.push(f) });
  runFrames();
  return { log, store, view, root };
}

async function push(log: FakeLog, store: TrafficStore, events: TrafficEventView[]): Promise<void> {
  log.append(events.length);
  const last = events[events.length - 1]!.seq;
  await store.apply({ listener: 'demo', events, dropped: 0, next: last });
}

function rows(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>('#traffic-rows > .row')];
}

beforeEach(() => {
  frames = [];
});

describe('TrafficLogView', () => {
  test('renders in animation frames, not on every batch', async () => {
    const { log, store, root } = await setup();
    await push(log, store, range(1, 10).map((s) => event(s)));
    await push(log, store, range(11, 20).map((s) => event(s)));
    expect(rows(root)).toHaveLength(0);
    expect(frames).toHaveLength(1);
    runFrames();
    expect(rows(root).map((r) => r.dataset['seq'])).toEqual(range(1, 20).map(String));
  });

  test('holds at most maxRows rows, the newest', async () => {
    const { log, store, root } = await setup(500);
    for (let from = 1; from <= 3000; from += 250) {
      await push(log, store, range(from, from + 249).map((s) => event(s)));
      runFrames();
    }
    const shown = rows(root);
    expect(shown).toHaveLength(500);
    expect(shown[0]!.dataset['seq']).toBe('2501');
    expect(shown[499]!.dataset['seq']).toBe('3000');
    // one burst bigger than the window at once
    await push(log, store, range(3001, 4000).map((s) => event(s)));
    runFrames();
    expect(rows(root)).toHaveLength(500);
    expect(rows(root)[0]!.dataset['seq']).toBe('3501');
  });

  test('shows time to the millisecond, type, connection, size and payload', async () => {
    const { log, store, root } = await setup();
    await push(log, store, [event(1, 'c7', 'Michael')]);
    runFrames();
    const row = rows(root)[0]!;
    expect(row.querySelector('.c-time')!.textContent).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(row.querySelector('.c-type')!.textContent).toBe('in');
    expect(row.querySelector('.c-conn')!.textContent).toBe('c7');
    expect(row.querySelector('.c-size')!.textContent).toBe('7 B');
    expect(row.querySelector('.c-payload')!.textContent).toBe('Michael');
  });

  test('text from a socket is text: markup is shown literally and never parsed', async () => {
    const { log, store, root } = await setup();
    const e = event(1, 'c1', XSS);
    e.note = '<b>note</b>';
    await push(log, store, [e, { ...event(2, null, ''), type: 'open', note: '<script>alert(2)</script>', text: null, hex: null }]);
    runFrames();
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(rows(root)[0]!.querySelector('.c-payload')!.textContent).toBe(`${XSS} (<b>note</b>)`);
    expect(rows(root)[1]!.querySelector('.c-payload')!.textContent).toBe('<script>alert(2)</script>');
    expect(root.innerHTML).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  test('control characters show as escapes', () => {
    const el = textPayload('a\r\nb\x00\x1b', 100);
    expect(el.textContent).toBe('a\\r\\nb\\x00\\x1b');
    expect(el.querySelectorAll('.esc')).toHaveLength(4);
  });

  test('with breakLines an escaped \\n is followed by a real line break; other escapes are not', () => {
    const el = textPayload('GET / HTTP/1.1\r\nHost: x\r\n\r\nbody\r', 100, true);
    expect(el.textContent).toBe('GET / HTTP/1.1\\r\\n\nHost: x\\r\\n\n\\r\\n\nbody\\r');
    expect(el.querySelectorAll('.esc')).toHaveLength(7);
    // the break is a text node, not markup
    expect(el.querySelector('br')).toBeNull();
  });

  test('a long payload is cut, and says so', () => {
    expect(textPayload('x'.repeat(5000), 2000).textContent).toBe('x'.repeat(2000) + ' … 3,000 more characters');
  });

  test('the hex toggle shows payloads as a hex dump, and back', async () => {
    const { log, store, view, root } = await setup();
    await push(log, store, [event(1, 'c1', 'Hi')]);
    runFrames();
    view.hexToggle.checked = true;
    view.hexToggle.dispatchEvent(new Event('change'));
    runFrames();
    const pre = rows(root)[0]!.querySelector('pre.hexdump')!;
    expect(pre.textContent).toBe('00000000  48 69' + ' '.repeat(45) + '|Hi|');
    view.setHex(false);
    runFrames();
    expect(rows(root)[0]!.querySelector('pre')).toBeNull();
    expect(rows(root)[0]!.querySelector('.c-payload')!.textContent).toBe('Hi');
  });

  test('filters by connection and by text', async () => {
    const { log, store, view, root } = await setup();
    await push(log, store, [event(1, 'c1', 'hello'), event(2, 'c2', 'HELLO world'), event(3, 'c1', 'bye')]);
    runFrames();
    const select = root.querySelector<HTMLSelectElement>('#traffic-connection')!;
    expect([...select.options].map((o) => o.value)).toEqual(['', 'c1', 'c2']);
    view.setConnection('c1');
    runFrames();
    expect(rows(root).map((r) => r.dataset['seq'])).toEqual(['1', '3']);
    view.setConnection('');
    view.filterInput.value = 'hello';
    view.filterInput.dispatchEvent(new Event('input'));
    runFrames();
    expect(rows(root).map((r) => r.dataset['seq'])).toEqual(['1', '2']);
    // and new events are filtered too
    await push(log, store, [event(4, 'c3', 'hello again'), event(5, 'c3', 'nothing')]);
    runFrames();
    expect(rows(root).map((r) => r.dataset['seq'])).toEqual(['1', '2', '4']);
  });

  test('pause keeps collecting and renders nothing until resumed', async () => {
    const { log, store, view, root } = await setup();
    await push(log, store, [event(1)]);
    runFrames();
    view.pauseButton.click();
    expect(view.pauseButton.textContent).toBe('Resume');
    await push(log, store, range(2, 30).map((s) => event(s)));
    runFrames();
    expect(rows(root)).toHaveLength(1);
    expect(view.status.textContent).toContain('paused · 29 new');
    // changing the view while paused shows what was there, not what waits
    view.setHex(true);
    runFrames();
    expect(rows(root)).toHaveLength(1);
    view.pauseButton.click();
    runFrames();
    expect(rows(root)).toHaveLength(30);
    expect(store.received).toBe(30);
  });

  test('clear empties the view; new events show after it', async () => {
    const { log, store, view, root } = await setup();
    await push(log, store, range(1, 5).map((s) => event(s)));
    runFrames();
    view.clearButton.click();
    expect(rows(root)).toHaveLength(0);
    view.setHex(true); // a re-render does not bring cleared rows back
    runFrames();
    expect(rows(root)).toHaveLength(0);
    await push(log, store, [event(6)]);
    runFrames();
    expect(rows(root).map((r) => r.dataset['seq'])).toEqual(['6']);
  });

  test('a dropped marker row where events were skipped, and the count in the status', async () => {
    const { log, store, root, view } = await setup();
    await push(log, store, [event(1)]);
    log.append(100);
    await store.apply(batch(range(97, 101), 95));
    runFrames();
    const marker = root.querySelector<HTMLElement>('.row.marker.dropped')!;
    expect(marker).not.toBeNull();
    expect(marker.textContent).toMatch(/^dropped 95 events \(#2–#96\)/);
    expect(rows(root).map((r) => r.dataset['seq'] ?? 'marker')).toEqual(['1', 'marker', '97', '98', '99', '100', '101']);
    expect(view.status.textContent).toContain('dropped 95');
  });
});
