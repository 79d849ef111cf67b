// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { curlFor, type FetchResult, type SessionView, type UdpSendResult } from './api';
import {
  bodyInfo,
  fetchRequest,
  fetchTimings,
  numberOrText,
  parseHeaderLines,
  renderFetch,
  sessionAddress,
  sessionRow,
  sessionSpec,
  tlsSummary,
  udpReplyRows,
  udpRequest,
  udpSummary,
  type FetchElements,
} from './clients';

const XSS = '<img src=x onerror=alert(1)>';
const base = 'http://127.0.0.1:8080';

function hexOf(text: string): string {
  return [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

function session(overrides: Partial<SessionView> = {}): SessionView {
  return {
    id: 's1', host: '127.0.0.1', port: 9999, framing: 'line', charset: 'UTF-8', state: 'open',
    localAddress: '127.0.0.1:53412', remoteAddress: '127.0.0.1:9999',
    openedAt: '2026-11-26T03:50:00.123Z', closedAt: null, reason: null,
    bytesIn: 16, bytesOut: 8, framesIn: 1, framesOut: 1,
    ...overrides,
  };
}

function fetched(overrides: Partial<FetchResult> = {}, body: Partial<FetchResult['body']> = {}): FetchResult {
  const request = 'GET / HTTP/1.1\r\nHost: 127.0.0.1:8081\r\nConnection: close\r\n\r\n';
  return {
    id: 'f1', url: 'http://127.0.0.1:8081/', method: 'GET', remoteAddress: '127.0.0.1:8081', tls: null,
    request: { size: request.length, text: request, hex: hexOf(request) },
    status: { line: 'HTTP/1.1 200 OK', version: 'HTTP/1.1', code: 200, reason: 'OK' },
    headerBlock: 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\n',
    headers: [{ name: 'Content-Type', value: 'text/plain' }, { name: 'Content-Length', value: '11' }],
    body: {
      size: 11, contentType: 'text/plain', transfer: 'content-length', binary: false,
      text: 'Hello World', hex: hexOf('Hello World'), hexTruncated: false, download: '/api/fetch/f1/body',
      ...body,
    },
    timings: { connectMs: 0.3, tlsMs: null, firstByteMs: 1.04, totalMs: 1.5 },
    ...overrides,
  };
}

function fetchElements(): FetchElements {
  const els = {
    result: document.createElement('section'),
    status: document.createElement('span'),
    remote: document.createElement('span'),
    tls: document.createElement('span'),
    timings: document.createElement('span'),
    request: document.createElement('pre'),
    requestInfo: document.createElement('span'),
    headers: document.createElement('pre'),
    body: document.createElement('pre'),
    bodyInfo: document.createElement('span'),
    save: document.createElement('a'),
  };
  els.result.hidden = true;
  document.body.replaceChildren(els.result, ...Object.values(els).slice(1));
  return els;
}

describe('request builders', () => {
  test('numbers typed as numbers; anything else as typed, for the API to name', () => {
    expect(numberOrText(' 9999 ')).toBe(9999);
    expect(numberOrText('99x')).toBe('99x');
    expect(numberOrText('')).toBe('');
  });

  test('a session: line framing and UTF-8 are the defaults, so left out', () => {
    expect(sessionSpec({ host: ' 127.0.0.1 ', port: '9999', framing: 'line', charset: 'utf-8' })).toEqual({ host: '127.0.0.1', port: 9999 });
    expect(sessionSpec({ host: 'h', port: '1', framing: 'stx-etx', charset: 'ISO-8859-1' })).toEqual({
      host: 'h', port: 1, framing: 'stx-etx', charset: 'ISO-8859-1',
    });
  });

  test('UDP: text or hex, and only the numbers that differ from the defaults', () => {
    const form = { host: '127.0.0.1', port: '9999', mode: 'text', payload: 'Michael', count: '1', waitMs: '1000', intervalMs: '0' };
    expect(udpRequest(form)).toEqual({ host: '127.0.0.1', port: 9999, text: 'Michael' });
    expect(udpRequest({ ...form, mode: 'hex', payload: '4d 69', count: '3', waitMs: '250', intervalMs: '' })).toEqual({
      host: '127.0.0.1', port: 9999, hex: '4d 69', count: 3, waitMs: 250,
    });
    expect(curlFor('POST', '/api/udp/send', udpRequest(form), base)).toBe(
      `curl -s -X POST http://127.0.0.1:8080/api/udp/send -H 'Content-Type: application/json' ` +
        `-d '{"host":"127.0.0.1","port":9999,"text":"Michael"}'`,
    );
  });

  test('header lines: Name: value, blanks and comments skipped, a line without a colon named', () => {
    expect(parseHeaderLines('Accept: text/plain\n\n# no\nX-Y:  a: b ')).toEqual({ headers: { Accept: 'text/plain', 'X-Y': 'a: b' }, error: null });
    expect(parseHeaderLines('Accept: */*\nnonsense').error).toMatch(/^line 2:/);
  });

  test('fetch: GET and verified TLS are the defaults; the rest as given', () => {
    const form = { url: ' http://127.0.0.1:8081/ ', method: 'GET', insecure: false, headers: '', body: '' };
    expect(fetchRequest(form)).toEqual({ request: { url: 'http://127.0.0.1:8081/' }, headersError: null });
    const post = fetchRequest({ ...form, method: 'post', insecure: true, headers: 'Content-Type: text/plain', body: "it's" });
    expect(post.request).toEqual({ url: 'http://127.0.0.1:8081/', method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: "it's", insecure: true });
    expect(curlFor('POST', '/api/fetch', post.request, base)).toBe(
      `curl -s -X POST http://127.0.0.1:8080/api/fetch -H 'Content-Type: application/json' ` +
        `-d '{"url":"http://127.0.0.1:8081/","method":"POST","headers":{"Content-Type":"text/plain"},"body":"it'\\''s","insecure":true}'`,
    );
  });
});

describe('sessionRow', () => {
  test('an open session: id to select it, address, state, and Close', () => {
    const tr = sessionRow(session(), false);
    expect(tr.dataset['session']).toBe('s1');
    expect(tr.dataset['state']).toBe('open');
    expect(tr.querySelector('.c-address')!.textContent).toBe('127.0.0.1:9999');
    expect(tr.querySelector('.state')!.textContent).toBe('open');
    expect(tr.querySelector('.reason')).toBeNull();
    expect(tr.querySelector<HTMLButtonElement>('button.close')!.textContent).toBe('Close');
    expect(tr.querySelector<HTMLButtonElement>('button.select-session')!.textContent).toBe('s1');
    expect(tr.querySelector('.c-address')!.getAttribute('title')).toContain('line framing');
    expect(tr.classList.contains('selected')).toBe(false);
  });

  test('a closed session shows its reason (as text) and offers Remove', () => {
    const tr = sessionRow(session({ state: 'closed', reason: `the peer closed the connection ${XSS}`, closedAt: '2026-11-26T03:51:00Z' }), true);
    expect(tr.querySelector('.reason')!.textContent).toBe(`the peer closed the connection ${XSS}`);
    expect(tr.querySelector('img')).toBeNull();
    expect(tr.querySelector<HTMLButtonElement>('button.close')!.textContent).toBe('Remove');
    expect(tr.classList.contains('selected')).toBe(true);
  });

  test('the address asked for while none was reached', () => {
    expect(sessionAddress({ host: 'example.org', port: 80, remoteAddress: null })).toBe('example.org:80');
  });
});

describe('UDP replies', () => {
  const result: UdpSendResult = {
    localAddress: '127.0.0.1:40000', remoteAddress: '127.0.0.1:9999', sent: 3, sentBytes: 21,
    replies: [
      { from: '127.0.0.1:9999', time: '2026-11-26T03:50:00.124Z', afterMs: 0.84, size: 16, text: 'Hello, Michael!\n', hex: hexOf('Hello, Michael!\n') },
      { from: '127.0.0.1:9999', time: '2026-11-26T03:50:00.125Z', afterMs: 1.2, size: XSS.length, text: XSS, hex: hexOf(XSS) },
    ],
    note: null,
  };

  test('a summary of what went and came', () => {
    expect(udpSummary(result)).toBe('sent 3 datagrams (21 B) from 127.0.0.1:40000 to 127.0.0.1:9999 · 2 replies');
    expect(udpSummary({ ...result, sent: 1, replies: result.replies.slice(0, 1) })).toMatch(/sent 1 datagram \(.*· 1 reply$/);
  });

  test('rows with from, after, size and the text with control characters escaped', () => {
    const rows = udpReplyRows(result, false);
    expect(rows).toHaveLength(2);
    const first = rows[0]!;
    expect(first.dataset['from']).toBe('127.0.0.1:9999');
    expect(first.querySelector('.c-from')!.textContent).toBe('127.0.0.1:9999');
    expect(first.querySelector('.c-after')!.textContent).toBe('0.8 ms');
    expect(first.querySelector('.c-size')!.textContent).toBe('16 B');
    expect(first.querySelector('.c-payload')!.textContent).toBe('Hello, Michael!\\n');
    // socket text is text
    expect(rows[1]!.querySelector('img')).toBeNull();
    expect(rows[1]!.querySelector('.c-payload')!.textContent).toBe(XSS);
  });

  test('hex shows a dump', () => {
    const payload = udpReplyRows(result, true)[0]!.querySelector('.c-payload')!.textContent!;
    expect(payload).toBe('00000000  48 65 6c 6c 6f 2c 20 4d  69 63 68 61 65 6c 21 0a  |Hello, Michael!.|');
  });

  test('no replies: one row saying so', () => {
    const rows = udpReplyRows({ ...result, replies: [] }, false);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.textContent).toMatch(/No replies/);
  });
});

describe('renderFetch', () => {
  test('request bytes and header block with their line endings visible; the body as text', () => {
    const els = fetchElements();
    renderFetch(els, fetched());
    expect(els.result.hidden).toBe(false);
    expect(els.status.textContent).toBe('HTTP/1.1 200 OK');
    expect(els.status.className).toBe('http-status s2xx');
    expect(els.request.textContent).toBe('GET / HTTP/1.1\\r\\n\nHost: 127.0.0.1:8081\\r\\n\nConnection: close\\r\\n\n\\r\\n\n');
    expect(els.headers.textContent).toContain('Content-Type: text/plain\\r\\n\n');
    expect(els.body.textContent).toBe('Hello World');
    expect(els.body.classList.contains('hexdump')).toBe(false);
    expect(els.save.hidden).toBe(false);
    expect(els.save.getAttribute('href')).toBe('/api/fetch/f1/body');
    expect(els.timings.textContent).toBe('connect 0.3 ms · first byte 1.0 ms · total 1.5 ms');
    expect(els.tls.textContent).toBe('plain TCP');
    expect(els.remote.textContent).toBe('GET http://127.0.0.1:8081/ → 127.0.0.1:8081');
  });

  test('markup in a body or header stays text', () => {
    const els = fetchElements();
    renderFetch(els, fetched({ headerBlock: `HTTP/1.1 200 OK\r\nX-Evil: ${XSS}\r\n\r\n` }, { text: `<html>${XSS}</html>`, contentType: 'text/html' }));
    expect(els.body.textContent).toBe(`<html>${XSS}</html>`);
    expect(els.headers.textContent).toContain(XSS);
    expect(document.querySelector('img')).toBeNull();
    expect(document.querySelector('html html')).toBeNull();
  });

  test('a binary body as a hex dump, cut at 4096 bytes, and saying so', () => {
    const els = fetchElements();
    const hex = Array.from({ length: 4096 }, (_, i) => (i % 256).toString(16).padStart(2, '0')).join(' ');
    renderFetch(els, fetched({}, { binary: true, text: null, hex, hexTruncated: true, size: 10_000, contentType: 'image/png' }));
    expect(els.body.classList.contains('hexdump')).toBe(true);
    const dump = els.body.textContent!;
    expect(dump.startsWith('00000000  00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f  |................|')).toBe(true);
    expect(dump.split('\n')).toHaveLength(4096 / 16 + 1);
    expect(dump.endsWith('… 5904 more bytes')).toBe(true);
    expect(els.bodyInfo.textContent).toBe('10,000 B · image/png · content-length · binary: hex of the first 4,096 bytes');
    // a second, text result replaces the dump
    renderFetch(els, fetched());
    expect(els.body.classList.contains('hexdump')).toBe(false);
    expect(els.body.textContent).toBe('Hello World');
  });

  test('no download: no save link; a 404 is marked as 4xx', () => {
    const els = fetchElements();
    renderFetch(els, fetched({ status: { line: 'HTTP/1.1 404 Not Found', version: 'HTTP/1.1', code: 404, reason: 'Not Found' } }, { download: null, size: 0, text: '', transfer: 'none' }));
    expect(els.save.hidden).toBe(true);
    expect(els.save.hasAttribute('href')).toBe(false);
    expect(els.status.className).toBe('http-status s4xx');
    expect(els.bodyInfo.textContent).toBe('no body (none)');
  });
});

describe('fetch labels', () => {
  test('timings leave out what did not happen', () => {
    expect(fetchTimings({ connectMs: 0.3, tlsMs: 12, firstByteMs: null, totalMs: 1002.3 })).toBe('connect 0.3 ms · TLS 12.0 ms · total 1002 ms');
  });

  test('TLS: protocol, suite, peer, and whether it was verified', () => {
    expect(tlsSummary({ protocol: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', peer: 'CN=localhost', verified: false })).toBe(
      'TLSv1.3 · TLS_AES_128_GCM_SHA256 · CN=localhost · NOT verified',
    );
  });

  test('body info for a text body', () => {
    expect(bodyInfo(fetched().body)).toBe('11 B · text/plain · content-length');
  });
});
