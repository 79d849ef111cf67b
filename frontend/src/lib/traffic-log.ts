// The traffic log: renders a TrafficStore into a capped window of rows, in animation frames,
// so thousands of frames a second cost a few hundred DOM rows and one render per frame.

import type { TrafficEventView } from './api';
import { append, formatCount, formatTime, h, setText } from './dom';
import { hexdumpOf } from './hexdump';
import type { TrafficItem, TrafficStore } from './stores';

export interface TrafficLogOptions {
  /** Rows in the DOM at most; older rows are removed. */
  maxRows: number;
  /** Characters of a text payload shown per row. */
  maxChars: number;
  /** Bytes of a payload shown per row as a hex dump. */
  maxHexBytes: number;
  /** Runs a render later: requestAnimationFrame in a browser. */
  schedule: (render: () => void) => void;
}

export const LOG_DEFAULTS: TrafficLogOptions = {
  maxRows: 500,
  maxChars: 2000,
  maxHexBytes: 512,
  schedule: (render) => {
    requestAnimationFrame(() => render());
  },
};

/** Control characters shown as escapes, so a row shows exactly what crossed the socket. */
const CONTROL = /[\u0000-\u001f\u007f]/g;

function escapeControl(c: string): string {
  switch (c) {
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    default:
      return '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0');
  }
}

/**
 * Text with control characters as dimmed escapes; all of it text nodes. With breakLines, each
 * escaped \n is followed by a real line break, so a block of header lines still reads as lines
 * while showing its exact line endings (in a white-space: pre-wrap element).
 */
export function textPayload(text: string, maxChars: number, breakLines = false): HTMLElement {
  const el = h('span', { class: 'payload-text' });
  const shown = text.length > maxChars ? text.slice(0, maxChars) : text;
  let last = 0;
  for (const m of shown.matchAll(CONTROL)) {
    const i = m.index;
    if (i > last) append(el, shown.slice(last, i));
    append(el, h('span', { class: 'esc', text: escapeControl(m[0]) }));
    if (breakLines && m[0] === '\n') append(el, '\n');
    last = i + m[0].length;
  }
  if (last < shown.length) append(el, shown.slice(last));
  if (text.length > shown.length) {
    append(el, h('span', { class: 'more', text: ` … ${formatCount(text.length - shown.length)} more characters` }));
  }
  return el;
}

function matches(e: TrafficEventView, connection: string, needle: string): boolean {
  if (connection !== '' && e.connection !== connection) {
    return false;
  }
  if (needle === '') {
    return true;
  }
  return (
    (e.text ?? '').toLowerCase().includes(needle) ||
    (e.note ?? '').toLowerCase().includes(needle) ||
    (e.hex ?? '').includes(needle) ||
    e.type === needle ||
    (e.connection ?? '') === needle
  );
}

/**
 * The log's toolbar (connection filter, text filter, hex toggle, pause, clear) and rows. One per
 * page: its controls have ids (#traffic-connection, #traffic-filter, #hex-toggle,
 * #traffic-pause, #traffic-clear, #traffic-status, #traffic-rows).
 */
export class TrafficLogView {
  readonly rows: HTMLElement;
  readonly status: HTMLElement;
  readonly hexToggle: HTMLInputElement;
  readonly pauseButton: HTMLButtonElement;
  readonly clearButton: HTMLButtonElement;
  readonly connectionSelect: HTMLSelectElement;
  readonly filterInput: HTMLInputElement;

  paused = false;
  hex = false;
  connection = '';
  filter = '';

  private readonly options: TrafficLogOptions;
  /** The running index (in the store's ring) of the next item to render. */
  private next = 0;
  /** Items before this running index are cleared from the view. */
  private clearedAt = 0;
  /** Where the view stood when paused: a re-render while paused shows up to there. */
  private pausedAt = 0;
  private scheduled = false;
  private readonly off: () => void;

  constructor(
    readonly container: HTMLElement,
    readonly store: TrafficStore,
    options: Partial<TrafficLogOptions> = {},
  ) {
    this.options = { ...LOG_DEFAULTS, ...options };

    this.connectionSelect = h('select', { id: 'traffic-connection', title: 'Show one connection only' });
    this.connectionSelect.append(h('option', { text: 'all connections', attrs: { value: '' } }));
    this.filterInput = h('input', {
      id: 'traffic-filter',
      attrs: { type: 'search', placeholder: 'filter: text, hex, type', 'aria-label': 'Filter the log' },
    });
    this.hexToggle = h('input', { id: 'hex-toggle', attrs: { type: 'checkbox' } });
    this.pauseButton = h('button', { id: 'traffic-pause', text: 'Pause', attrs: { type: 'button' } });
    this.clearButton = h('button', { id: 'traffic-clear', text: 'Clear view', attrs: { type: 'button' } });
    this.status = h('span', { id: 'traffic-status', class: 'log-status', attrs: { 'aria-live': 'polite' } });
    const toolbar = h(
      'div',
      { class: 'log-toolbar' },
      this.connectionSelect,
      this.filterInput,
      h('label', { class: 'toggle', title: 'Show payloads as a hex dump' }, this.hexToggle, ' hex'),
      this.pauseButton,
      this.clearButton,
      this.status,
    );
    this.rows = h('div', { id: 'traffic-rows', class: 'log-rows', attrs: { role: 'log' } });
    container.replaceChildren(toolbar, this.rows);

    this.connectionSelect.addEventListener('change', () => this.setConnection(this.connectionSelect.value));
    this.filterInput.addEventListener('input', () => this.setFilter(this.filterInput.value));
    this.hexToggle.addEventListener('change', () => this.setHex(this.hexToggle.checked));
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
    this.clearButton.addEventListener('click', () => this.clear());

    this.off = store.subscribe(() => this.changed());
    this.changed();
  }

  destroy(): void {
    this.off();
  }

  setPaused(paused: boolean): void {
    if (paused && !this.paused) {
      this.pausedAt = this.next;
    }
    this.paused = paused;
    setText(this.pauseButton, paused ? 'Resume' : 'Pause');
    this.pauseButton.classList.toggle('active', paused);
    this.container.classList.toggle('paused', paused);
    this.changed();
  }

  setHex(hex: boolean): void {
    this.hex = hex;
    this.hexToggle.checked = hex;
    this.rerender();
  }

  setConnection(connection: string): void {
    this.connection = connection;
    this.connectionSelect.value = connection;
    this.rerender();
  }

  setFilter(text: string): void {
    this.filter = text.trim().toLowerCase();
    this.rerender();
  }

  /** Empties the view; what comes next still shows. The store keeps everything. */
  clear(): void {
    this.clearedAt = this.store.ring.total;
    this.next = this.pausedAt = this.clearedAt;
    this.rows.replaceChildren();
    this.updateStatus();
  }

  /** Renders what is pending now, without waiting for a frame (tests). */
  flush(): void {
    this.scheduled = false;
    this.render();
  }

  private changed(): void {
    this.updateConnections();
    this.updateStatus();
    if (this.paused || this.scheduled) {
      return;
    }
    this.scheduled = true;
    this.options.schedule(() => {
      this.scheduled = false;
      if (!this.paused) {
        this.render();
      }
    });
  }

  private rerender(): void {
    this.rows.replaceChildren();
    this.next = this.clearedAt;
    if (this.paused) {
      // the window as it was when paused, filtered or shown anew; new items wait for resume
      this.render(this.pausedAt);
    } else {
      this.changed();
    }
  }

  /** Appends rows for the items that came since the last render, newest last, at most maxRows. */
  private render(upTo?: number): void {
    const ring = this.store.ring;
    const from = Math.max(this.next, ring.first, this.clearedAt);
    const to = Math.max(from, Math.min(upTo ?? ring.total, ring.total));
    this.next = to;
    const max = this.options.maxRows;
    const picked: TrafficItem[] = [];
    for (let i = to - 1; i >= from && picked.length < max; i--) {
      const item = ring.at(i);
      if (item !== undefined && this.shows(item)) {
        picked.push(item);
      }
    }
    if (picked.length > 0) {
      const stick = this.atBottom();
      const fragment = document.createDocumentFragment();
      for (let i = picked.length - 1; i >= 0; i--) {
        fragment.appendChild(this.row(picked[i]!));
      }
      if (picked.length >= max) {
        this.rows.replaceChildren(fragment);
      } else {
        this.rows.appendChild(fragment);
        let excess = this.rows.childElementCount - max;
        while (excess-- > 0) {
          this.rows.firstElementChild?.remove();
        }
      }
      if (stick) {
        this.rows.scrollTop = this.rows.scrollHeight;
      }
    }
    this.updateStatus();
  }

  private atBottom(): boolean {
    const r = this.rows;
    return r.scrollHeight - r.scrollTop - r.clientHeight < 40;
  }

  private shows(item: TrafficItem): boolean {
    return item.kind !== 'event' || matches(item.event, this.connection, this.filter);
  }

  private row(item: TrafficItem): HTMLElement {
    switch (item.kind) {
      case 'dropped': {
        const first = item.after + 1;
        const last = item.after + item.count;
        return h(
          'div',
          { class: 'row marker dropped', data: { count: String(item.count) } },
          `dropped ${formatCount(item.count)} event${item.count === 1 ? '' : 's'} ` +
            (item.count === 1 ? `(#${first})` : `(#${first}–#${last})`) +
            ' — too many to show live; the REST history may still have them',
        );
      }
      case 'reset':
        return h('div', { class: 'row marker reset' }, 'the listener was made again: its events start over');
      case 'event':
        return this.eventRow(item.event);
    }
  }

  private eventRow(e: TrafficEventView): HTMLElement {
    const data = e.type === 'in' || e.type === 'out';
    let payload: HTMLElement;
    if (!data) {
      payload = h('span', { class: 'c-payload note', text: e.note ?? '' });
    } else if (this.hex) {
      payload = h('pre', { class: 'c-payload hexdump', text: hexdumpOf(e.hex, this.options.maxHexBytes, e.size) });
    } else {
      payload = h('span', { class: 'c-payload' }, textPayload(e.text ?? '', this.options.maxChars));
      if (e.note) append(payload, h('span', { class: 'note', text: ` (${e.note})` }));
    }
    return h(
      'div',
      {
        class: `row ev ev-${e.type}`,
        data: { seq: String(e.seq), type: e.type, connection: e.connection ?? '' },
      },
      h('span', { class: 'c-time', text: formatTime(e.time), title: `${e.time} · #${e.seq}` }),
      h('span', { class: 'c-type', text: e.type }),
      h('span', { class: 'c-conn', text: e.connection ?? '' }),
      h('span', { class: 'c-size', text: data ? `${formatCount(e.size)} B` : '' }),
      payload,
    );
  }

  private knownConnections = 0;

  private updateConnections(): void {
    const ids = this.store.connections;
    if (ids.size === this.knownConnections) {
      return;
    }
    let i = 0;
    for (const id of ids) {
      if (i++ >= this.knownConnections) {
        this.connectionSelect.append(h('option', { text: id, attrs: { value: id } }));
      }
    }
    this.knownConnections = ids.size;
  }

  private updateStatus(): void {
    const s = this.store;
    const parts = [`${formatCount(this.rows.childElementCount)} rows`, `${formatCount(s.received)} events`];
    if (s.dropped > 0) parts.push(`dropped ${formatCount(s.dropped)}`);
    if (this.paused) {
      const waiting = Math.max(0, s.ring.total - this.next);
      parts.push(`paused${waiting > 0 ? ` · ${formatCount(waiting)} new` : ''}`);
    }
    if (!s.loaded) parts.push('loading history…');
    if (s.error !== null) parts.push(s.error);
    setText(this.status, parts.join(' · '));
    this.status.classList.toggle('has-drops', s.dropped > 0);
  }
}
