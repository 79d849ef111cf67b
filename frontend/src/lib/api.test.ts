import { describe, expect, test } from 'vitest';
import { Api, ApiError, curlFor, curlStream, expandLiveBatch, kickPath, parseProblem, sendPath, sessionStreamPath, shellQuote, textDecoder } from './api';

describe('parseProblem', () => {
  test('reads problem+json with one field', () => {
    const e = parseProblem(409, '', 'application/problem+json',
      '{"detail":"cannot listen on tcp 127.0.0.1:9000: the port is already in use","instance":"/api/listeners","status":409,"title":"Conflict","field":"port"}');
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(409);
    expect(e.title).toBe('Conflict');
    expect(e.detail).toMatch(/already in use/);
    expect(e.field).toBe('port');
    expect(e.errors).toEqual([]);
    expect(e.message).toBe(e.detail);
    expect(e.messageFor('port')).toBe(e.detail);
    expect(e.messageFor('name')).toBeNull();
  });

  test('reads the errors list of a validation failure', () => {
    const e = parseProblem(400, 'Bad Request', 'application/problem+json', JSON.stringify({
      detail: "name: must be 1 to 64 letters; port: must be less than or equal to 65535",
      status: 400,
      title: 'Invalid request',
      errors: [
        { message: 'must be 1 to 64 letters', field: 'name' },
        { message: 'must be less than or equal to 65535', field: 'port' },
        { message: 'must be at least 1', field: 'limits.maxConnections' },
        { nonsense: true },
      ],
    }));
    expect(e.field).toBeNull();
    expect(e.errors).toHaveLength(3);
    expect(e.messageFor('port')).toBe('must be less than or equal to 65535');
    expect(e.messageFor('limits')).toBe('must be at least 1');
    expect(e.fields()).toEqual(['name', 'port', 'limits.maxConnections']);
  });

  test('a body that is not JSON becomes the detail', () => {
    const e = parseProblem(502, 'Bad Gateway', 'text/plain', 'upstream went away');
    expect(e.status).toBe(502);
    expect(e.title).toBe('Bad Gateway');
    expect(e.detail).toBe('upstream went away');
  });

  test('broken JSON and an empty body still make an error', () => {
    expect(parseProblem(500, '', 'application/json', '{"detail":').detail).toBe('{"detail":');
    const empty = parseProblem(404, 'Not Found', null, '');
    expect(empty.detail).toBe('404 Not Found');
  });

  test('markup in a detail stays a string (it is shown with textContent)', () => {
    const e = parseProblem(400, '', 'application/problem+json', '{"title":"x","detail":"<img src=x onerror=alert(1)>"}');
    expect(e.detail).toBe('<img src=x onerror=alert(1)>');
  });
});

function response(status: number, body: string, type = 'application/json'): Response {
  return new Response(status === 204 ? null : body, { status, headers: { 'Content-Type': type } });
}

describe('Api', () => {
  test('sends JSON and reads JSON', async () => {
    const seen: [string, RequestInit | undefined][] = [];
    const api = new Api(async (url, init) => {
      seen.push([url, init]);
      return response(201, '{"id":"demo"}');
    });
    const v = await api.create({ name: 'demo', protocol: 'tcp', behaviour: 'echo' });
    expect(v.id).toBe('demo');
    expect(seen[0]![0]).toBe('/api/listeners');
    expect(seen[0]![1]?.method).toBe('POST');
    expect(seen[0]![1]?.body).toBe('{"name":"demo","protocol":"tcp","behaviour":"echo"}');
    expect((seen[0]![1]?.headers as Record<string, string>)['Content-Type']).toBe('application/json');
  });

  test('a 204 answers undefined', async () => {
    const api = new Api(async () => response(204, ''));
    await expect(api.remove('demo')).resolves.toBeUndefined();
  });

  test('an error answer throws an ApiError from its problem+json', async () => {
    const api = new Api(async () =>
      response(404, '{"title":"Not found","status":404,"detail":"no listener named \'x\'"}', 'application/problem+json'));
    const err = await api.listener('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).detail).toBe("no listener named 'x'");
  });

  test('no answer at all is an ApiError with status 0', async () => {
    const api = new Api(async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await api.listeners().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(0);
    expect(err.detail).toMatch(/did not answer.*Failed to fetch/);
  });

  test('ids and connection ids are escaped in paths', async () => {
    const urls: string[] = [];
    const api = new Api(async (url) => {
      urls.push(url);
      return response(200, '{}');
    });
    await api.send('a b', 'c/1', { text: 'hi' });
    await api.traffic('demo', 42, 100);
    expect(urls).toEqual(['/api/listeners/a%20b/connections/c%2F1/send', '/api/listeners/demo/traffic?after=42&limit=100']);
    expect(sendPath('demo', null)).toBe('/api/listeners/demo/broadcast');
    expect(kickPath('demo', 'c1')).toBe('/api/listeners/demo/connections/c1');
  });
});

describe('Api: client sessions, UDP and fetch', () => {
  test('each call goes to its endpoint with its method and body', async () => {
    const seen: string[] = [];
    const api = new Api(async (url, init) => {
      seen.push(`${init?.method} ${url}${init?.body === undefined ? '' : ' ' + String(init.body)}`);
      return response(init?.method === 'DELETE' ? 204 : 200, init?.method === 'DELETE' ? '' : '{}');
    });
    await api.sessions();
    await api.openSession({ host: '127.0.0.1', port: 9999 });
    await api.session('s 1');
    await api.sessionSend('s1', { hex: '4d 69', raw: true });
    await api.sessionTraffic('s1', 0, 1000);
    await api.closeSession('s1');
    await api.udpSend({ host: '127.0.0.1', port: 9999, text: 'Michael' });
    await api.fetchHttp({ url: 'http://127.0.0.1:8081/' });
    expect(seen).toEqual([
      'GET /api/sessions',
      'POST /api/sessions {"host":"127.0.0.1","port":9999}',
      'GET /api/sessions/s%201',
      'POST /api/sessions/s1/send {"hex":"4d 69","raw":true}',
      'GET /api/sessions/s1/traffic?after=0&limit=1000',
      'DELETE /api/sessions/s1',
      'POST /api/udp/send {"host":"127.0.0.1","port":9999,"text":"Michael"}',
      'POST /api/fetch {"url":"http://127.0.0.1:8081/"}',
    ]);
  });

  test('a refused connect is an ApiError with the detail to show', async () => {
    const api = new Api(async () =>
      response(502, '{"title":"Bad Gateway","status":502,"detail":"connection refused by 127.0.0.1:9998"}', 'application/problem+json'));
    const err = (await api.openSession({ host: '127.0.0.1', port: 9998 }).catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.detail).toBe('connection refused by 127.0.0.1:9998');
  });

  test('the stream path: after the cursor, or from what comes next', () => {
    expect(sessionStreamPath('s1', 42)).toBe('/api/sessions/s1/traffic/stream?after=42');
    expect(sessionStreamPath('s/1', null)).toBe('/api/sessions/s%2F1/traffic/stream');
  });
});

describe('shellQuote', () => {
  test('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('http://127.0.0.1:8080/api/listeners')).toBe('http://127.0.0.1:8080/api/listeners');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellQuote('x?after=1&limit=2')).toBe("'x?after=1&limit=2'");
  });

  test("a single quote closes, escapes and reopens", () => {
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('curlFor', () => {
  const base = 'http://127.0.0.1:8080';

  test('a stream is followed with -N, its query quoted', () => {
    expect(curlStream('/api/sessions/s1/traffic/stream?after=3', base)).toBe("curl -sN 'http://127.0.0.1:8080/api/sessions/s1/traffic/stream?after=3'");
  });

  test('GET has no -X and no body', () => {
    expect(curlFor('GET', '/api/listeners', undefined, base)).toBe('curl -s http://127.0.0.1:8080/api/listeners');
  });

  test('POST with a JSON body, as the README writes it', () => {
    expect(curlFor('POST', '/api/listeners', { name: 'demo', protocol: 'tcp', port: 0, behaviour: 'echo' }, base)).toBe(
      `curl -s -X POST http://127.0.0.1:8080/api/listeners -H 'Content-Type: application/json' ` +
        `-d '{"name":"demo","protocol":"tcp","port":0,"behaviour":"echo"}'`,
    );
  });

  test('DELETE without a body', () => {
    expect(curlFor('DELETE', '/api/listeners/demo/connections/c1', undefined, base)).toBe(
      'curl -s -X DELETE http://127.0.0.1:8080/api/listeners/demo/connections/c1',
    );
  });

  test('quotes in the payload survive the shell', () => {
    const line = curlFor('POST', '/api/listeners/demo/broadcast', { text: "it's $5 `now`" }, base);
    expect(line).toBe(
      `curl -s -X POST http://127.0.0.1:8080/api/listeners/demo/broadcast -H 'Content-Type: application/json' ` +
        `-d '{"text":"it'\\''s $5 \`now\`"}'`,
    );
  });
});

describe('expandLiveBatch', () => {
  const lean = {
    listener: 'demo',
    dropped: 2,
    next: 5,
    events: [
      { seq: 3, time: Date.UTC(2026, 10, 26, 1, 2, 3, 456), connection: 'c1', type: 'open' as const, note: '127.0.0.1:5000' },
      { seq: 4, time: Date.UTC(2026, 10, 26, 1, 2, 3, 457), connection: 'c1', type: 'in' as const, data: 'aGVsbG8=' },
      { seq: 5, time: Date.UTC(2026, 10, 26, 1, 2, 3, 458), connection: 'c1', type: 'out' as const, data: 'Y2Fm6Qo=' },
    ],
  };

  test('makes events whole: text in the charset, hex as the API writes it, ISO time, size', () => {
    const b = expandLiveBatch(lean, textDecoder('windows-1252'));
    expect(b).toMatchObject({ listener: 'demo', dropped: 2, next: 5 });
    expect(b.events[0]).toEqual({
      seq: 3, time: '2026-11-26T01:02:03.456Z', listener: 'demo', connection: 'c1', type: 'open',
      size: 0, text: null, hex: null, note: '127.0.0.1:5000',
    });
    expect(b.events[1]).toMatchObject({ type: 'in', text: 'hello', hex: '68 65 6c 6c 6f', size: 5, note: null });
    expect(b.events[2]).toMatchObject({ text: 'café\n', hex: '63 61 66 e9 0a', size: 5 });
  });

  test('bytes that are not text in the charset show as U+FFFD, and the hex stays exact', () => {
    const b = expandLiveBatch(lean, textDecoder('UTF-8'));
    expect(b.events[2]).toMatchObject({ text: 'caf\uFFFD\n', hex: '63 61 66 e9 0a' });
  });

  test('an unknown charset falls back to UTF-8', () => {
    expect(textDecoder('x-no-such-charset').encoding).toBe('utf-8');
  });
});
