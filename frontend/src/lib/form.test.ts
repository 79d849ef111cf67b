// @vitest-environment jsdom
import { describe, expect, test } from 'vitest';
import { ApiError } from './api';
import { FormErrors, framingLabel, listenerAddress, parseOptions, sortProblems } from './form';

const FIELDS = ['name', 'protocol', 'port', 'behaviour', 'options', 'framing', 'charset'];

describe('parseOptions', () => {
  test('reads key=value lines, skipping blanks and comments; values may hold =', () => {
    expect(parseOptions('welcome=Hi there\n\n# a comment\n greeting = Hello, {}! \nbody=a=b')).toEqual({
      options: { welcome: 'Hi there', greeting: 'Hello, {}!', body: 'a=b' },
      error: null,
    });
  });

  test('a line without = is an error naming the line', () => {
    expect(parseOptions('welcome=Hi\nnonsense').error).toMatch(/^line 2:/);
    expect(parseOptions('=value').error).toMatch(/^line 1:/);
  });
});

describe('sortProblems', () => {
  test('one field: its detail goes there', () => {
    const s = sortProblems(new ApiError(400, 'Malformed request', 'port: abc is not a whole number', 'port'), FIELDS);
    expect([...s.byField]).toEqual([['port', 'port: abc is not a whole number']]);
    expect(s.elsewhere).toBeNull();
  });

  test('several fields from errors; nested ones go to their form field, unknown ones on top', () => {
    const s = sortProblems(
      new ApiError(400, 'Invalid request', '…', null, [
        { field: 'name', message: 'must not be blank' },
        { field: 'port', message: 'must be less than or equal to 65535' },
        { field: 'options.status', message: 'must be a number' },
        { field: 'limits.maxConnections', message: 'must be at least 1' },
      ]),
      FIELDS,
    );
    expect(s.byField.get('name')).toBe('must not be blank');
    expect(s.byField.get('port')).toBe('must be less than or equal to 65535');
    expect(s.byField.get('options')).toBe('status: must be a number');
    expect(s.elsewhere).toBe('limits.maxConnections: must be at least 1');
  });

  test('no field at all: a form-level message', () => {
    const s = sortProblems(new ApiError(409, 'Conflict', 'cannot listen on tcp 127.0.0.1:9000: the port is already in use'), FIELDS);
    expect(s.byField.size).toBe(0);
    expect(s.elsewhere).toBe('cannot listen on tcp 127.0.0.1:9000: the port is already in use (409 Conflict)');
  });
});

describe('listener labels', () => {
  test('address: the bound port, or the asked one, or any', () => {
    expect(listenerAddress({ host: '127.0.0.1', port: 0, boundPort: 40123 })).toBe('127.0.0.1:40123');
    expect(listenerAddress({ host: '127.0.0.1', port: 9000, boundPort: null })).toBe('127.0.0.1:9000');
    expect(listenerAddress({ host: '127.0.0.1', port: 0, boundPort: null })).toBe('127.0.0.1:any');
  });

  test('framing label', () => {
    expect(framingLabel({ framing: { type: 'length', lengthBytes: 4, lineEnding: '\n', flushMillis: 200 } })).toBe('length-4');
    expect(framingLabel({ framing: { type: 'line', lengthBytes: 2, lineEnding: '\n', flushMillis: 200 } })).toBe('line');
    expect(framingLabel({ framing: null })).toBe('');
  });
});

describe('FormErrors', () => {
  function form() {
    const general = document.createElement('div');
    const host = document.createElement('input');
    const payload = document.createElement('input');
    const hostError = document.createElement('div');
    const payloadError = document.createElement('div');
    document.body.replaceChildren(general, host, hostError, payload, payloadError);
    const slotP = { input: payload, error: payloadError };
    const errors = new FormErrors(general, { host: { input: host, error: hostError }, text: slotP, hex: slotP });
    errors.clear();
    return { errors, general, host, hostError, payload, payloadError };
  }

  test('a field the form has: the detail at it, the input marked and focused; nothing on top', () => {
    const f = form();
    f.errors.show(new ApiError(400, 'Bad Request', 'host must not be blank', 'host'));
    expect(f.hostError.hidden).toBe(false);
    expect(f.hostError.textContent).toBe('host must not be blank');
    expect(f.host.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(f.host);
    expect(f.general.hidden).toBe(true);
  });

  test('two API fields sharing a slot show there; no field at all goes on top with its status', () => {
    const f = form();
    f.errors.show(new ApiError(502, 'Bad Gateway', 'connection refused by 127.0.0.1:9998'));
    expect(f.general.hidden).toBe(false);
    expect(f.general.textContent).toBe('connection refused by 127.0.0.1:9998 (502 Bad Gateway)');
    f.errors.clear();
    expect(f.general.hidden).toBe(true);
    f.errors.show(new ApiError(400, 'Bad Request', '…', null, [
      { field: 'hex', message: 'odd number of digits' },
      { field: 'waitMs', message: 'must be at most 30000' },
    ]));
    expect(f.payloadError.textContent).toBe('odd number of digits');
    expect(f.payload.getAttribute('aria-invalid')).toBe('true');
    expect(f.general.textContent).toBe('waitMs: must be at most 30000');
  });

  test('clear() takes every message and mark away', () => {
    const f = form();
    f.errors.show(new ApiError(400, 'Bad Request', 'bad port', 'host'));
    f.errors.clear();
    expect(f.hostError.hidden).toBe(true);
    expect(f.hostError.textContent).toBe('');
    expect(f.host.hasAttribute('aria-invalid')).toBe(false);
  });

  test('messages are text, never markup', () => {
    const f = form();
    f.errors.show(new ApiError(403, 'Forbidden', '<img src=x onerror=alert(1)>'));
    expect(f.general.querySelector('img')).toBeNull();
    expect(f.general.textContent).toContain('<img src=x onerror=alert(1)>');
  });
});
