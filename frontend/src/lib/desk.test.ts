// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import type { ConnectionInfo, TrafficEventView, TrafficType } from './api';
import {
  conversationRow,
  DeskStore,
  lineText,
  plainText,
  renderConversations,
  throttle,
  transcriptLine,
  TranscriptView,
  type Conversation,
} from './desk';
import { event } from '../test/fakes';

const XSS = '<img src=x onerror=alert(1)>';

let seq = 0;
function e(connection: string, type: TrafficType, text: string | null = null, note: string | null = null): TrafficEventView {
  seq++;
  return { ...event(seq, connection, text ?? ''), type, text: type === 'in' || type === 'out' ? text : null, note };
}

function conn(id: string, remote: string, label: string | null = null, lastActivityAt = '2026-11-26T04:10:00Z'): ConnectionInfo {
  return { id, remote, openedAt: '2026-11-26T04:00:00Z', lastActivityAt, bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0, queuedBytes: 0, label };
}

function ids(store: DeskStore): string[] {
  return store.list().map((c) => c.id);
}

describe('lineText', () => {
  test('an out frame loses its own line ending; in frames and notices read as sentences', () => {
    expect(lineText({ type: 'out', text: 'Hi there\n', note: null })).toBe('Hi there');
    expect(lineText({ type: 'out', text: 'two\nlines\r\n', note: null })).toBe('two\nlines');
    expect(lineText({ type: 'in', text: 'hello', note: null })).toBe('hello');
    expect(lineText({ type: 'open', text: null, note: '127.0.0.1:5555' })).toBe('connected from 127.0.0.1:5555');
    expect(lineText({ type: 'close', text: null, note: 'the peer closed the connection' })).toBe('closed: the peer closed the connection');
  });
});

describe('DeskStore', () => {
  test('conversations from traffic: remote from open, transcript in order, closed with its reason', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open', null, '127.0.0.1:5555'), e('c1', 'out', 'Welcome to the support desk.\n'), e('c1', 'in', 'my printer is on fire')], false);
    const c = d.get('c1')!;
    expect(c.remote).toBe('127.0.0.1:5555');
    expect(c.open).toBe(true);
    expect(c.lines.map((l) => [l.kind, l.text])).toEqual([
      ['open', 'connected from 127.0.0.1:5555'],
      ['out', 'Welcome to the support desk.'],
      ['in', 'my printer is on fire'],
    ]);
    const u = d.apply([e('c1', 'close', null, 'byebye')], true);
    expect(u.refresh).toBe(true);
    expect(d.get('c1')).toMatchObject({ open: false, closedReason: 'byebye' });
  });

  test('unread: from the history, the client lines since the last reply; live, every client line not seen; selecting clears', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open'), e('c1', 'out', 'Welcome\n'), e('c1', 'in', 'old question'), e('c1', 'in', 'hello?'),
      e('c2', 'open'), e('c2', 'in', 'old'), e('c2', 'out', 'answered\n')], false);
    expect(d.get('c1')!.unread).toBe(2);
    expect(d.get('c2')!.unread).toBe(0);
    d.select('c1');
    expect(d.get('c1')!.unread).toBe(0);
    d.apply([e('c1', 'in', 'a'), e('c2', 'in', 'b'), e('c2', 'in', 'c'), e('c2', 'out', 'reply\n')], true);
    expect(d.get('c1')!.unread).toBe(0);
    expect(d.get('c2')!.unread).toBe(2);
    expect(d.totalUnread()).toBe(2);
    d.select('c2');
    expect(d.get('c2')!.unread).toBe(0);
    d.apply([e('c1', 'in', 'back to c1')], true);
    expect(d.get('c1')!.unread).toBe(1);
  });

  test('a /nick line asks for the connections (for the label); open and close ask too', () => {
    const d = new DeskStore();
    expect(d.apply([e('c1', 'open')], true)).toEqual({ refresh: true, nick: false });
    expect(d.apply([e('c1', 'in', 'hello')], true)).toEqual({ refresh: false, nick: false });
    expect(d.apply([e('c1', 'in', '/nick Michael')], true)).toEqual({ refresh: false, nick: true });
    expect(d.apply([e('c1', 'in', '/nickname')], true).nick).toBe(false);
  });

  test('the connections list gives remote and label; one missing from it that was open closed meanwhile', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open', null, '10.0.0.1:1'), e('c2', 'open', null, '10.0.0.2:2')], false);
    const before = d.openIds();
    // c3 opened after the request went out: not in the answer, but not closed either
    d.apply([e('c3', 'open', null, '10.0.0.3:3')], true);
    d.applyConnections([conn('c1', '10.0.0.1:1', 'Michael')], before);
    expect(d.get('c1')!.label).toBe('Michael');
    expect(d.get('c2')).toMatchObject({ open: false, closedReason: 'closed' });
    expect(d.get('c3')!.open).toBe(true);
    // its close event comes later and tells why
    d.apply([e('c2', 'close', null, 'idle timeout')], true);
    expect(d.get('c2')!.closedReason).toBe('idle timeout');
  });

  test('a list older than a close never reopens the conversation', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open', null, '10.0.0.1:1'), e('c1', 'close', null, 'byebye')], true);
    d.applyConnections([conn('c1', '10.0.0.1:1')], new Set());
    expect(d.get('c1')!.open).toBe(false);
  });

  test('connections the traffic has not shown yet are listed (open before the page)', () => {
    const d = new DeskStore();
    d.applyConnections([conn('c9', '10.0.0.9:9', 'Ann')], new Set());
    expect(d.get('c9')).toMatchObject({ open: true, label: 'Ann', remote: '10.0.0.9:9', lines: [] });
  });

  test('order: open first, each by last activity, newest first', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open'), e('c2', 'open'), e('c3', 'open')], false);
    d.apply([e('c1', 'in', 'newest')], true);
    d.apply([e('c2', 'close', null, 'gone')], true);
    expect(ids(d)).toEqual(['c1', 'c3', 'c2']);
  });

  test('a closed conversation stays until dismissed; dismissed, its old events do not bring it back', () => {
    const d = new DeskStore();
    const history = [e('c1', 'open'), e('c1', 'in', 'hi'), e('c1', 'close', null, 'byebye')];
    d.apply(history, false);
    expect(d.dismiss('c1')).toBe(true);
    expect(ids(d)).toEqual([]);
    d.apply(history, false);
    d.applyConnections([conn('c1', 'x')], new Set());
    expect(ids(d)).toEqual([]);
    // a new connection under the same id is a new conversation
    d.apply([e('c1', 'open', null, 'new:1')], true);
    expect(d.get('c1')).toMatchObject({ open: true, remote: 'new:1' });
    expect(d.get('c1')!.lines).toHaveLength(1);
  });

  test('an open conversation cannot be dismissed; dismissClosed takes all closed ones', () => {
    const d = new DeskStore();
    d.apply([e('c1', 'open'), e('c2', 'open'), e('c2', 'close'), e('c3', 'open'), e('c3', 'close')], false);
    expect(d.dismiss('c1')).toBe(false);
    expect(d.dismissClosed()).toBe(2);
    expect(ids(d)).toEqual(['c1']);
  });

  test('transcripts and closed conversations are bounded', () => {
    const d = new DeskStore({ maxLines: 3, maxClosed: 1 });
    d.apply([e('c1', 'open'), e('c1', 'in', '1'), e('c1', 'in', '2'), e('c1', 'in', '3')], false);
    expect(d.get('c1')!.lines.map((l) => l.text)).toEqual(['1', '2', '3']);
    expect(d.get('c1')!.dropped).toBe(1);
    d.apply([e('c2', 'open'), e('c1', 'close'), e('c2', 'close')], false);
    expect(ids(d)).toEqual(['c2']);
  });
});

describe('throttle', () => {
  test('runs at once, then at most once per wait, with the last call kept', () => {
    let now = 0;
    const timers: (() => void)[] = [];
    let runs = 0;
    const t = throttle(() => runs++, 1000, { now: () => now, later: (f) => timers.push(f) });
    t();
    expect(runs).toBe(1);
    now = 100;
    t();
    t();
    t();
    expect(runs).toBe(1);
    expect(timers).toHaveLength(1);
    now = 1000;
    timers.shift()!();
    expect(runs).toBe(2);
    now = 2500;
    t();
    expect(runs).toBe(3);
  });
});

function conversation(overrides: Partial<Conversation> = {}): Conversation {
  return { id: 'c1', remote: '127.0.0.1:5555', label: null, open: true, closedReason: null, unread: 0,
    lastActivity: '2026-11-26T04:10:00Z', lines: [], dropped: 0, ...overrides };
}

describe('rendering', () => {
  test('labels, remotes, reasons and lines are text, never markup', () => {
    const row = conversationRow(conversation({ label: XSS, remote: XSS, open: false, closedReason: XSS, unread: 3 }), false);
    expect(row.querySelector('img')).toBeNull();
    expect(row.dataset['connection']).toBe('c1');
    expect(row.querySelector('.label')!.textContent).toBe(XSS);
    expect(row.querySelector('.remote')!.textContent).toBe(XSS);
    expect(row.querySelector('.status')!.textContent).toBe(`closed: ${XSS}`);
    for (const kind of ['in', 'out', 'close'] as const) {
      const el = transcriptLine({ seq: 1, time: '2026-11-26T04:10:00Z', kind, text: XSS });
      expect(el.querySelector('img')).toBeNull();
      expect(el.textContent).toContain(XSS);
    }
  });

  test('a row: the label, else the remote; the unread badge hidden and empty at 0', () => {
    const plain = conversationRow(conversation(), false);
    expect(plain.querySelector('.label')!.textContent).toBe('127.0.0.1:5555');
    const badge = plain.querySelector<HTMLElement>('.unread')!;
    expect(badge.hidden).toBe(true);
    expect(badge.textContent).toBe('');
    const named = conversationRow(conversation({ label: 'Michael', unread: 2 }), true);
    expect(named.querySelector('.label')!.textContent).toBe('Michael');
    expect(named.querySelector<HTMLElement>('.unread')!.hidden).toBe(false);
    expect(named.querySelector('.unread')!.textContent).toBe('2');
    expect(named.classList.contains('selected')).toBe(true);
  });

  test('lines: client left (in), replies right (out), open and close as notices', () => {
    const kinds = (['in', 'out', 'open', 'close'] as const).map((kind) => transcriptLine({ seq: 1, time: '2026-11-26T04:10:00Z', kind, text: 'x' }).className);
    expect(kinds).toEqual(['desk-line in', 'desk-line out', 'desk-notice desk-open', 'desk-notice desk-close']);
  });

  test('control characters show as escapes; line breaks stay', () => {
    const el = plainText('a\u0007b\nc');
    expect(el.textContent).toBe('a\\x07b\nc');
  });

  test('the list keeps rows whose content did not change', () => {
    const ul = document.createElement('ul');
    const cache = new Map();
    const a = conversation({ id: 'c1' });
    const b = conversation({ id: 'c2' });
    renderConversations(ul, [a, b], null, cache);
    const first = ul.children[0];
    const second = ul.children[1];
    renderConversations(ul, [a, { ...b, unread: 1 }], null, cache);
    expect(ul.children[0]).toBe(first);
    expect(ul.children[1]).not.toBe(second);
    expect(ul.children[1]!.querySelector('.unread')!.textContent).toBe('1');
  });

  test('the transcript appends what came since, and starts over on another conversation', () => {
    const root = document.createElement('div');
    const view = new TranscriptView(root);
    const line = (n: number, kind: 'in' | 'out' = 'in') => ({ seq: n, time: '2026-11-26T04:10:00Z', kind, text: `line ${n}` });
    const c = conversation({ lines: [line(1), line(2, 'out')] });
    view.render(c);
    const firstEl = root.children[0];
    c.lines.push(line(3));
    view.render(c);
    expect(root.children[0]).toBe(firstEl);
    expect([...root.querySelectorAll('.desk-line .text')].map((x) => x.textContent)).toEqual(['line 1', 'line 2', 'line 3']);
    view.render(conversation({ id: 'c2', lines: [line(9)] }));
    expect([...root.querySelectorAll('.desk-line .text')].map((x) => x.textContent)).toEqual(['line 9']);
    view.render(undefined);
    expect(root.querySelector('.desk-line')).toBeNull();
  });
});
