// The support desk (/desk/{id}): a desk listener's connections as conversations. Each one's
// transcript comes from the listener's traffic (so every operator's page shows every reply),
// its remote address and nickname from the connections list; unread counts are counted here,
// per page. Rendering helpers put every label and line in as text nodes.

import type { ConnectionInfo, TrafficEventView, TrafficType } from './api';
import { append, formatClock, formatDateTime, h, setText } from './dom';
import { compareInstants, Emitter } from './stores';

export interface TranscriptLine {
  seq: number;
  time: string;
  kind: TrafficType;
  text: string;
}

export interface Conversation {
  id: string;
  remote: string | null;
  /** The nickname the client gave ("/nick Michael"), from the connections list. */
  label: string | null;
  open: boolean;
  /** Why it closed, once closed. */
  closedReason: string | null;
  /** `in` lines since the page loaded or the conversation was last selected, while not selected. */
  unread: number;
  lastActivity: string | null;
  /** Oldest first, at most the store's maxLines. */
  lines: TranscriptLine[];
  /** Lines dropped from the front to keep the bound: lines[i] is line number dropped + i. */
  dropped: number;
}

/** What the page should do after a batch of events. */
export interface DeskUpdate {
  /** Read the connections again (a conversation opened or closed). */
  refresh: boolean;
  /** Read them again soon, throttled: somebody gave a nickname. */
  nick: boolean;
}

export interface DeskOptions {
  /** Transcript lines kept per conversation. */
  maxLines: number;
  /** Closed conversations kept (the oldest go first; the selected one stays). */
  maxClosed: number;
}

const DEFAULTS: DeskOptions = { maxLines: 1000, maxClosed: 100 };

/** A frame as a transcript line: an `out` frame's own line ending is not part of what was said. */
export function lineText(e: Pick<TrafficEventView, 'type' | 'text' | 'note'>): string {
  switch (e.type) {
    case 'in':
      return e.text ?? '';
    case 'out':
      return (e.text ?? '').replace(/\r?\n$/, '');
    case 'open':
      return e.note ? `connected from ${e.note}` : 'connected';
    case 'close':
      return `closed: ${e.note ?? 'closed'}`;
    case 'error':
      return `error: ${e.note ?? ''}`;
    default:
      return e.note ?? e.text ?? '';
  }
}

function later(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareInstants(a, b) >= 0 ? a : b;
}

/**
 * The desk's conversations, from the traffic (in, out, open, close by connection) and the
 * connections list (remote, label, which are open). A closed conversation stays, greyed, until
 * dismissed; the list never reopens one (only an `open` event does: a new connection).
 */
export class DeskStore extends Emitter<void> {
  selected: string | null = null;
  private readonly map = new Map<string, Conversation>();
  /** Dismissed conversations, with the newest seq seen when they were: older events for them are history. */
  private readonly dismissed = new Map<string, number>();
  /** Closed by their absence from the connections list, before their close event came. */
  private readonly closedUnexplained = new Set<string>();
  private lastSeq = 0;
  private readonly options: DeskOptions;

  constructor(options: Partial<DeskOptions> = {}) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get(id: string): Conversation | undefined {
    return this.map.get(id);
  }

  /** Open ones first, then closed; each by last activity, newest first. */
  list(): Conversation[] {
    return [...this.map.values()].sort((a, b) => {
      if (a.open !== b.open) return a.open ? -1 : 1;
      const t = compareInstants(b.lastActivity ?? '', a.lastActivity ?? '');
      return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
    });
  }

  /** Ids of conversations open now (to tell, after a list comes back, which closed meanwhile). */
  openIds(): Set<string> {
    return new Set([...this.map.values()].filter((c) => c.open).map((c) => c.id));
  }

  totalUnread(): number {
    let n = 0;
    for (const c of this.map.values()) n += c.unread;
    return n;
  }

  /**
   * Traffic events, oldest first (from the traffic store). `countUnread`: false for the history
   * loaded with the page, true for what arrives after it.
   */
  apply(events: readonly TrafficEventView[], countUnread: boolean): DeskUpdate {
    const update: DeskUpdate = { refresh: false, nick: false };
    let changed = false;
    for (const e of events) {
      this.lastSeq = Math.max(this.lastSeq, e.seq);
      const id = e.connection;
      if (id === null || id === undefined) continue;
      const dismissedAt = this.dismissed.get(id);
      if (dismissedAt !== undefined) {
        if (e.seq <= dismissedAt) continue;
        this.dismissed.delete(id); // a new connection under the same id
      }
      let c = this.map.get(id);
      if (c !== undefined && e.type === 'open' && !c.open) {
        // an id used again (the listener was made again): a new conversation
        this.map.delete(id);
        c = undefined;
      }
      if (c === undefined) {
        c = { id, remote: null, label: null, open: true, closedReason: null, unread: 0, lastActivity: null, lines: [], dropped: 0 };
        this.map.set(id, c);
      }
      changed = true;
      this.addLine(c, { seq: e.seq, time: e.time, kind: e.type, text: lineText(e) });
      c.lastActivity = later(c.lastActivity, e.time);
      switch (e.type) {
        case 'open':
          if (e.note) c.remote = e.note;
          c.open = true;
          c.closedReason = null;
          update.refresh = true;
          break;
        case 'close':
          c.open = false;
          c.closedReason = e.note ?? 'closed';
          this.closedUnexplained.delete(id);
          update.refresh = true;
          break;
        case 'in':
          // live: every client line this operator has not seen; from the history: the lines
          // since the last reply (an operator opening the desk sees what waits for an answer)
          if (id !== this.selected) c.unread++;
          if (/^\/nick(\s|$)/.test(e.text ?? '')) update.nick = true;
          break;
        case 'out':
          if (!countUnread) c.unread = 0;
          break;
        default:
          break;
      }
    }
    if (changed) {
      this.trimClosed();
      this.notify();
    }
    return update;
  }

  /**
   * The connections list: remote and label of each open conversation (and ones the traffic has
   * not shown yet). `openBefore` were open when the request went out: those missing from the
   * answer closed meanwhile (their close event, when it comes, gives the reason).
   */
  applyConnections(list: readonly ConnectionInfo[], openBefore: ReadonlySet<string>): void {
    const listed = new Set<string>();
    for (const info of list) {
      listed.add(info.id);
      if (this.dismissed.has(info.id)) continue;
      let c = this.map.get(info.id);
      if (c === undefined) {
        c = { id: info.id, remote: info.remote, label: info.label ?? null, open: true, closedReason: null, unread: 0,
          lastActivity: info.lastActivityAt, lines: [], dropped: 0 };
        this.map.set(info.id, c);
        continue;
      }
      if (!c.open) continue; // a list older than the close: it never reopens one
      c.remote = info.remote || c.remote;
      c.label = info.label ?? null;
      c.lastActivity = later(c.lastActivity, info.lastActivityAt);
    }
    for (const id of openBefore) {
      const c = this.map.get(id);
      if (c !== undefined && c.open && !listed.has(id)) {
        c.open = false;
        c.closedReason = 'closed';
        this.closedUnexplained.add(id);
      }
    }
    this.trimClosed();
    this.notify();
  }

  /** Selects a conversation (null: none); its unread count starts over. */
  select(id: string | null): void {
    const c = id === null ? undefined : this.map.get(id);
    this.selected = c === undefined ? null : c.id;
    if (c !== undefined) c.unread = 0;
    this.notify();
  }

  /** Takes a closed conversation off the list. */
  dismiss(id: string): boolean {
    const c = this.map.get(id);
    if (c === undefined || c.open) return false;
    this.forget(id);
    this.notify();
    return true;
  }

  /** Takes every closed conversation off the list. */
  dismissClosed(): number {
    let n = 0;
    for (const c of [...this.map.values()]) {
      if (!c.open) {
        this.forget(c.id);
        n++;
      }
    }
    if (n > 0) this.notify();
    return n;
  }

  /** Starts over (the listener was made again; its connection ids and seqs start over too). */
  reset(): void {
    this.map.clear();
    this.dismissed.clear();
    this.closedUnexplained.clear();
    this.selected = null;
    this.lastSeq = 0;
    this.notify();
  }

  private forget(id: string): void {
    this.map.delete(id);
    this.dismissed.set(id, this.lastSeq);
    this.closedUnexplained.delete(id);
    if (this.selected === id) this.selected = null;
  }

  private addLine(c: Conversation, line: TranscriptLine): void {
    c.lines.push(line);
    const over = c.lines.length - this.options.maxLines;
    if (over > 0) {
      c.lines.splice(0, over);
      c.dropped += over;
    }
  }

  private trimClosed(): void {
    const closed = [...this.map.values()].filter((c) => !c.open && c.id !== this.selected);
    const over = closed.length - this.options.maxClosed;
    if (over <= 0) return;
    closed.sort((a, b) => compareInstants(a.lastActivity ?? '', b.lastActivity ?? ''));
    for (const c of closed.slice(0, over)) this.forget(c.id);
  }
}

/**
 * Calls `fn` at most once per `ms`: at once when it has not run for that long, else once at the
 * end of the wait (however many calls came meanwhile).
 */
export function throttle(fn: () => void, ms: number, clock: { now: () => number; later: (f: () => void, ms: number) => void } = {
  now: () => Date.now(),
  later: (f, wait) => {
    setTimeout(f, wait);
  },
}): () => void {
  let last = -Infinity;
  let pending = false;
  return () => {
    if (pending) return;
    const wait = last + ms - clock.now();
    if (wait <= 0) {
      last = clock.now();
      fn();
      return;
    }
    pending = true;
    clock.later(() => {
      pending = false;
      last = clock.now();
      fn();
    }, wait);
  };
}

// --- rendering ---

/** What a conversation is called: its nickname, else its remote address, else its id. */
export function conversationName(c: Pick<Conversation, 'id' | 'label' | 'remote'>): string {
  return c.label ?? c.remote ?? c.id;
}

/** A row of the conversation list: li[data-connection] with .label, .remote, .unread, .last (and .status). */
export function conversationRow(c: Conversation, selected: boolean): HTMLLIElement {
  const classes = ['desk-conv'];
  if (!c.open) classes.push('closed');
  if (selected) classes.push('selected');
  if (c.unread > 0) classes.push('has-unread');
  const unread = h('span', { class: 'unread', text: c.unread > 0 ? String(c.unread) : '', title: `${c.unread} unread` });
  unread.hidden = c.unread === 0;
  const li = h(
    'li',
    {
      class: classes.join(' '),
      data: { connection: c.id },
      attrs: selected ? { tabindex: '0', 'aria-current': 'true' } : { tabindex: '0' },
      title: `${c.id} · ${c.remote ?? 'remote unknown'}`,
    },
    h('span', { class: 'label', text: conversationName(c) }),
    unread,
    h('span', { class: 'remote', text: c.remote ?? '' }),
    h('span', {
      class: 'last',
      text: c.lastActivity === null ? '' : formatClock(c.lastActivity),
      title: c.lastActivity === null ? '' : `last activity ${formatDateTime(c.lastActivity)}`,
    }),
  );
  if (!c.open) {
    append(
      li,
      h('span', { class: 'status', text: `closed: ${c.closedReason ?? 'closed'}` }),
      h('button', { class: 'small dismiss', text: 'Dismiss', data: { dismiss: c.id }, attrs: { type: 'button' }, title: 'Take this closed conversation off the list' }),
    );
  }
  return li;
}

/**
 * Fills the conversation list, rebuilding only rows whose content changed (so a click or the
 * keyboard focus is not lost to a refresh). `cache` keeps the rows between calls.
 */
export function renderConversations(
  list: HTMLElement,
  conversations: readonly Conversation[],
  selected: string | null,
  cache: Map<string, { key: string; li: HTMLLIElement }>,
): void {
  const wanted: HTMLElement[] = [];
  const seen = new Set<string>();
  for (const c of conversations) {
    const isSelected = c.id === selected;
    const key = JSON.stringify([c.label, c.remote, c.open, c.closedReason, c.unread, c.lastActivity, isSelected]);
    let row = cache.get(c.id);
    if (row === undefined || row.key !== key) {
      const li = conversationRow(c, isSelected);
      if (row !== undefined && row.li.contains(document.activeElement)) {
        // keep the keyboard where it was
        queueMicrotask(() => li.focus());
      }
      row = { key, li };
      cache.set(c.id, row);
    }
    seen.add(c.id);
    wanted.push(row.li);
  }
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
  if (wanted.length === 0) {
    wanted.push(h('li', { class: 'empty', text: 'No conversations yet. Clients connect with nc to the address above.' }));
  }
  const current = [...list.children];
  if (current.length !== wanted.length || current.some((el, i) => el !== wanted[i])) {
    list.replaceChildren(...wanted);
  }
}

/** Control characters other than line breaks and tabs, shown as escapes. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Text as text nodes; stray control characters as dimmed \xNN escapes. */
export function plainText(text: string, maxChars = 4000): HTMLElement {
  const el = h('span', { class: 'text' });
  const shown = text.length > maxChars ? text.slice(0, maxChars) : text;
  let last = 0;
  for (const m of shown.matchAll(CONTROL)) {
    if (m.index > last) append(el, shown.slice(last, m.index));
    append(el, h('span', { class: 'esc', text: m[0] === '\r' ? '\\r' : '\\x' + m[0].charCodeAt(0).toString(16).padStart(2, '0') }));
    last = m.index + m[0].length;
  }
  if (last < shown.length) append(el, shown.slice(last));
  if (text.length > shown.length) append(el, h('span', { class: 'more', text: ` … ${text.length - shown.length} more characters` }));
  return el;
}

/** One transcript line: the client's (.desk-line.in), ours (.desk-line.out) or a notice (.desk-notice). */
export function transcriptLine(line: TranscriptLine): HTMLElement {
  const time = h('span', { class: 'time', text: formatClock(line.time), title: `${formatDateTime(line.time)} · #${line.seq}` });
  if (line.kind === 'in' || line.kind === 'out') {
    return h('div', { class: `desk-line ${line.kind}`, data: { seq: String(line.seq) } }, plainText(line.text), time);
  }
  return h('div', { class: `desk-notice desk-${line.kind}`, data: { seq: String(line.seq) } }, time, plainText(line.text));
}

/**
 * The selected conversation's transcript: rendered whole when the selection changes, then only
 * the lines that came since; scrolled to the end when it was there.
 */
export class TranscriptView {
  private shownId: string | null = null;
  /** Line number (dropped + index) up to which lines are shown. */
  private shownTo = 0;

  constructor(readonly root: HTMLElement, private readonly maxLines = 1000) {}

  render(c: Conversation | undefined): void {
    const atEnd = this.root.scrollHeight - this.root.scrollTop - this.root.clientHeight < 40;
    if (c === undefined) {
      if (this.shownId !== null || this.root.childElementCount === 0) {
        this.root.replaceChildren(h('div', { class: 'desk-empty', text: 'Select a conversation on the left.' }));
      }
      this.shownId = null;
      this.shownTo = 0;
      return;
    }
    const total = c.dropped + c.lines.length;
    if (c.id !== this.shownId || this.shownTo < c.dropped || this.shownTo > total) {
      this.root.replaceChildren(...c.lines.map(transcriptLine));
      if (c.lines.length === 0) this.root.append(h('div', { class: 'desk-empty', text: 'Nothing said yet.' }));
      this.shownId = c.id;
      this.shownTo = total;
      this.root.scrollTop = this.root.scrollHeight;
      return;
    }
    if (total === this.shownTo) return;
    this.root.querySelector(':scope > .desk-empty')?.remove();
    for (const line of c.lines.slice(this.shownTo - c.dropped)) this.root.append(transcriptLine(line));
    this.shownTo = total;
    while (this.root.childElementCount > this.maxLines && this.root.firstElementChild !== null) this.root.firstElementChild.remove();
    if (atEnd) this.root.scrollTop = this.root.scrollHeight;
  }
}

/** The transcript's heading: who, from where, and whether it is still open. */
export function renderConversationHead(el: HTMLElement, c: Conversation | undefined): void {
  if (c === undefined) {
    setText(el, 'No conversation selected');
    el.className = 'desk-head';
    return;
  }
  const parts = [conversationName(c)];
  if (c.label !== null && c.remote !== null) parts.push(c.remote);
  parts.push(c.id);
  setText(el, parts.join(' · ') + (c.open ? '' : ` — closed: ${c.closedReason ?? 'closed'}`));
  el.className = `desk-head${c.open ? '' : ' closed'}`;
}
