// The /clients page's parts that can be tested on their own: its forms read into API requests,
// and the answers (sessions, UDP replies, a fetch) rendered as DOM. Everything that came from a
// socket goes in as text nodes (h(), textPayload()), never as markup.

import type { FetchRequest, FetchResult, SessionSpec, SessionView, UdpReply, UdpSendRequest, UdpSendResult } from './api';
import { formatBytes, formatClock, formatCount, formatDateTime, h, setText } from './dom';
import { hexdumpOf } from './hexdump';
import { textPayload } from './traffic-log';

/** Characters of a text body, request or header block shown; the rest is a "save body" away. */
export const MAX_SHOWN_CHARS = 200_000;

/** Bytes a fetch's hex holds at most (the API sends the first 4096). */
export const BODY_HEX_BYTES = 4096;

/** Bytes of a UDP reply shown as a hex dump. */
export const REPLY_HEX_BYTES = 1024;

/** A number typed as one; anything else as typed, so the API's message says what is wrong with it. */
export function numberOrText(value: string): number | string {
  const v = value.trim();
  return /^\d+$/.test(v) ? Number(v) : v;
}

/** {"text"} or {"hex"}, as the payload box's mode says. */
export function payloadBody(mode: string, value: string): { text: string } | { hex: string } {
  return mode === 'hex' ? { hex: value } : { text: value };
}

// --- sessions ---

export interface SessionFormValues {
  host: string;
  port: string;
  framing: string;
  charset: string;
}

/** POST /api/sessions from the form; the API's defaults (line framing, UTF-8) are left out. */
export function sessionSpec(v: SessionFormValues): SessionSpec {
  const spec: SessionSpec = { host: v.host.trim(), port: numberOrText(v.port) };
  if (v.framing !== '' && v.framing !== 'line') spec.framing = v.framing;
  const charset = v.charset.trim();
  if (charset !== '' && charset.toUpperCase() !== 'UTF-8') spec.charset = charset;
  return spec;
}

/** Where a session goes: the address it reached, or the one asked for. */
export function sessionAddress(s: Pick<SessionView, 'host' | 'port' | 'remoteAddress'>): string {
  return s.remoteAddress ?? `${s.host}:${s.port}`;
}

/** "in 16 B / 1 frames · out 8 B / 1 frames · opened … · closed …". */
export function sessionCounters(s: SessionView): string {
  const parts = [
    `in ${formatBytes(s.bytesIn)} / ${formatCount(s.framesIn)} frames`,
    `out ${formatBytes(s.bytesOut)} / ${formatCount(s.framesOut)} frames`,
    `opened ${formatDateTime(s.openedAt)}`,
  ];
  if (s.closedAt !== null) parts.push(`closed ${formatDateTime(s.closedAt)}`);
  if (s.localAddress !== null) parts.push(`from ${s.localAddress}`);
  return parts.join(' · ');
}

/**
 * A row of the sessions table (#sessions): id (click to show it), address, state with its
 * reason, bytes, opened, and a Close button. DELETE closes an open session and forgets a closed
 * one, so the button says which it will do. The framing is in the address's title and the
 * session's header, to keep the row narrow enough for its buttons.
 */
export function sessionRow(s: SessionView, selected: boolean): HTMLTableRowElement {
  const open = s.state === 'open';
  const tr = h(
    'tr',
    { class: selected ? 'selected' : '', data: { session: s.id, state: s.state } },
    h('td', { class: 'c-id' }, h('button', { class: 'link select-session', text: s.id, data: { action: 'select' }, attrs: { type: 'button' }, title: 'Show this session' })),
    h('td', { class: 'c-address mono', text: sessionAddress(s), title: `${s.framing} framing` + (s.localAddress === null ? '' : ` · from ${s.localAddress}`) }),
    h('td', { class: 'c-state' }, h('span', { class: `state state-${s.state}`, text: s.state }), s.reason && h('div', { class: 'reason', text: s.reason })),
    h('td', { class: 'num', text: formatBytes(s.bytesIn), title: `${formatCount(s.framesIn)} frames` }),
    h('td', { class: 'num', text: formatBytes(s.bytesOut), title: `${formatCount(s.framesOut)} frames` }),
    h('td', { class: 'c-opened', text: formatClock(s.openedAt), title: formatDateTime(s.openedAt) }),
    h(
      'td',
      { class: 'c-actions' },
      h('button', {
        class: 'small danger close',
        text: open ? 'Close' : 'Remove',
        data: { action: 'close' },
        attrs: { type: 'button' },
        title: open ? 'Close the connection and forget the session' : 'Forget the session and its traffic',
      }),
    ),
  );
  return tr;
}

// --- UDP ---

export interface UdpFormValues {
  host: string;
  port: string;
  mode: string;
  payload: string;
  count: string;
  waitMs: string;
  intervalMs: string;
}

/** Adds a number field unless it is empty or the API's default anyway (so curl lines stay short). */
function optional(value: string, apiDefault: string): number | string | undefined {
  const v = value.trim();
  return v === '' || v === apiDefault ? undefined : numberOrText(v);
}

/** POST /api/udp/send from the form. */
export function udpRequest(v: UdpFormValues): UdpSendRequest {
  const request: UdpSendRequest = { host: v.host.trim(), port: numberOrText(v.port), ...payloadBody(v.mode, v.payload) };
  const count = optional(v.count, '1');
  const waitMs = optional(v.waitMs, '1000');
  const intervalMs = optional(v.intervalMs, '0');
  if (count !== undefined) request.count = count;
  if (waitMs !== undefined) request.waitMs = waitMs;
  if (intervalMs !== undefined) request.intervalMs = intervalMs;
  return request;
}

/** 0.8 → "0.8 ms", 1002.3 → "1002 ms". */
export function formatMs(ms: number): string {
  return `${ms < 100 ? ms.toFixed(1) : Math.round(ms)} ms`;
}

/** "3 datagrams (21 B) from 127.0.0.1:40000 to 127.0.0.1:9999 · 1 reply". */
export function udpSummary(r: UdpSendResult): string {
  return (
    `sent ${formatCount(r.sent)} datagram${r.sent === 1 ? '' : 's'} (${formatBytes(r.sentBytes)}) ` +
    `from ${r.localAddress} to ${r.remoteAddress} · ` +
    `${formatCount(r.replies.length)} repl${r.replies.length === 1 ? 'y' : 'ies'}`
  );
}

/** A reply's payload: text with control characters escaped, or a hex dump. */
function replyPayload(reply: UdpReply, hex: boolean): HTMLElement {
  if (hex) {
    return h('pre', { class: 'hexdump', text: hexdumpOf(reply.hex, REPLY_HEX_BYTES, reply.size) });
  }
  return textPayload(reply.text ?? '', MAX_SHOWN_CHARS);
}

/** The rows of #udp-replies: from, after, size, payload; one row saying so when none came. */
export function udpReplyRows(r: UdpSendResult, hex: boolean): HTMLTableRowElement[] {
  if (r.replies.length === 0) {
    return [h('tr', { class: 'empty' }, h('td', { attrs: { colspan: '4' }, text: 'No replies within the wait.' }))];
  }
  return r.replies.map((reply) =>
    h(
      'tr',
      { class: 'udp-reply', data: { from: reply.from } },
      h('td', { class: 'c-from mono', text: reply.from, title: reply.time }),
      h('td', { class: 'c-after num', text: formatMs(reply.afterMs) }),
      h('td', { class: 'c-size num', text: `${formatCount(reply.size)} B` }),
      h('td', { class: 'c-payload' }, replyPayload(reply, hex)),
    ),
  );
}

// --- fetch ---

export interface FetchFormValues {
  url: string;
  method: string;
  insecure: boolean;
  /** "Name: value" lines. */
  headers: string;
  body: string;
}

/** "Name: value" lines (blank lines and # comments skipped) → headers; a line without a colon is an error. */
export function parseHeaderLines(text: string): { headers: Record<string, string>; error: string | null } {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      return { headers, error: `line ${i + 1}: write Name: value (for example Accept: text/plain)` };
    }
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { headers, error: null };
}

/** POST /api/fetch from the form; GET, no headers, no body and verified TLS are the API's defaults. */
export function fetchRequest(v: FetchFormValues): { request: FetchRequest; headersError: string | null } {
  const request: FetchRequest = { url: v.url.trim() };
  const method = v.method.trim().toUpperCase();
  if (method !== '' && method !== 'GET') request.method = method;
  const { headers, error } = parseHeaderLines(v.headers);
  if (Object.keys(headers).length > 0) request.headers = headers;
  if (v.body !== '') request.body = v.body;
  if (v.insecure) request.insecure = true;
  return { request, headersError: error };
}

/** "connect 0.3 ms · TLS 12.0 ms · first byte 1.0 ms · total 1.5 ms", leaving out what did not happen. */
export function fetchTimings(t: FetchResult['timings']): string {
  const parts: string[] = [];
  if (t.connectMs !== null) parts.push(`connect ${formatMs(t.connectMs)}`);
  if (t.tlsMs !== null) parts.push(`TLS ${formatMs(t.tlsMs)}`);
  if (t.firstByteMs !== null) parts.push(`first byte ${formatMs(t.firstByteMs)}`);
  if (t.totalMs !== null) parts.push(`total ${formatMs(t.totalMs)}`);
  return parts.join(' · ');
}

/** "TLSv1.3 · TLS_AES_128_GCM_SHA256 · CN=localhost · verified"; "plain TCP" without TLS. */
export function tlsSummary(tls: FetchResult['tls']): string {
  if (tls === null) return 'plain TCP';
  return [tls.protocol, tls.cipherSuite, tls.peer, tls.verified ? 'verified' : 'NOT verified'].filter(Boolean).join(' · ');
}

/** "200 B · text/plain · content-length", and why the body shows as it does. */
export function bodyInfo(b: FetchResult['body']): string {
  if (b.size === 0) return `no body (${b.transfer})`;
  const parts = [`${formatCount(b.size)} B`, b.contentType ?? 'no Content-Type', b.transfer];
  if (b.binary) {
    parts.push(b.hexTruncated || b.size > BODY_HEX_BYTES ? `binary: hex of the first ${formatCount(BODY_HEX_BYTES)} bytes` : 'binary: hex');
  }
  return parts.join(' · ');
}

/** The elements a fetch result fills (ids on the page: #fetch-…). */
export interface FetchElements {
  result: HTMLElement;
  status: HTMLElement;
  remote: HTMLElement;
  tls: HTMLElement;
  timings: HTMLElement;
  request: HTMLElement;
  requestInfo: HTMLElement;
  headers: HTMLElement;
  body: HTMLElement;
  bodyInfo: HTMLElement;
  save: HTMLAnchorElement;
}

/** A text body as it is (real line breaks), cut at MAX_SHOWN_CHARS. */
function bodyText(text: string): Node[] {
  if (text.length <= MAX_SHOWN_CHARS) return [document.createTextNode(text)];
  return [
    document.createTextNode(text.slice(0, MAX_SHOWN_CHARS)),
    h('span', { class: 'more', text: `\n… ${formatCount(text.length - MAX_SHOWN_CHARS)} more characters: save the body for all of it` }),
  ];
}

/**
 * Shows a fetch side by side: the request's bytes and the response's header block with their
 * line endings visible (\r\n), and the body as text, or as a hex dump when binary.
 */
export function renderFetch(els: FetchElements, r: FetchResult): void {
  els.result.hidden = false;
  setText(els.status, r.status.line);
  const code = r.status.code;
  els.status.className = `http-status s${Math.floor(code / 100)}xx`;
  els.status.dataset['code'] = String(code);
  setText(els.remote, `${r.method} ${r.url} → ${r.remoteAddress}`);
  setText(els.tls, tlsSummary(r.tls));
  els.tls.classList.toggle('tls-unverified', r.tls !== null && !r.tls.verified);
  setText(els.timings, fetchTimings(r.timings));

  els.request.replaceChildren(
    r.request.text !== null
      ? textPayload(r.request.text, MAX_SHOWN_CHARS, true)
      : h('span', { class: 'hexdump', text: hexdumpOf(r.request.hex, BODY_HEX_BYTES, r.request.size) }),
  );
  setText(els.requestInfo, `${formatCount(r.request.size)} B sent`);
  els.headers.replaceChildren(textPayload(r.headerBlock, MAX_SHOWN_CHARS, true));

  const b = r.body;
  els.body.classList.toggle('hexdump', b.binary);
  if (b.binary) {
    els.body.replaceChildren(document.createTextNode(hexdumpOf(b.hex, BODY_HEX_BYTES, b.size)));
  } else {
    els.body.replaceChildren(...bodyText(b.text ?? ''));
  }
  setText(els.bodyInfo, bodyInfo(b));
  if (b.download !== null) {
    els.save.href = b.download;
    els.save.hidden = false;
  } else {
    els.save.removeAttribute('href');
    els.save.hidden = true;
  }
}
