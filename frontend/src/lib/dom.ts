// Building DOM without HTML strings: every piece of text goes in as a text node, so text from a
// socket or the API can never become markup.

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  id?: string;
  class?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
  data?: Record<string, string>;
}

/** createElement with properties and children; strings become text nodes. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props !== null) {
    if (props.id !== undefined) el.id = props.id;
    if (props.class !== undefined) el.className = props.class;
    if (props.title !== undefined) el.title = props.title;
    if (props.text !== undefined) el.textContent = props.text;
    if (props.attrs !== undefined) {
      for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
    }
    if (props.data !== undefined) {
      for (const [k, v] of Object.entries(props.data)) el.dataset[k] = v;
    }
  }
  append(el, ...children);
  return el;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** The element with this id, typed; throws when the page lacks it (a template and script out of step). */
export function byId<T extends HTMLElement = HTMLElement>(id: string, type?: { new (): T }): T {
  const el = document.getElementById(id);
  if (el === null) {
    throw new Error(`the page has no #${id}`);
  }
  if (type !== undefined && !(el instanceof type)) {
    throw new Error(`#${id} is a ${el.tagName}, not the element expected`);
  }
  return el as T;
}

/** Sets text only when it changed (cheap on a table refreshed every second). */
export function setText(el: Element, text: string): void {
  if (el.textContent !== text) {
    el.textContent = text;
  }
}

// --- formatting ---

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, one decimal below 10). */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 10 ? 0 : 1;
  return `${v.toFixed(digits)} ${UNITS[u]}`;
}

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Local time to the millisecond: "23:08:40.067". */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Local time to the second: "23:08:40". */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local date and time to the second: "2026-11-25 23:08:40". */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) {
    return iso;
  }
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}
