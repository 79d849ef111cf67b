import { describe, expect, test } from 'vitest';
import { hexdump, hexdumpOf, hexToBytes } from './hexdump';

describe('hexToBytes', () => {
  test('reads the API\'s spaced pairs and plain runs alike', () => {
    expect([...hexToBytes('48 69 0a')]).toEqual([0x48, 0x69, 0x0a]);
    expect([...hexToBytes('48690A')]).toEqual([0x48, 0x69, 0x0a]);
    expect([...hexToBytes('')]).toEqual([]);
    expect([...hexToBytes(null)]).toEqual([]);
  });
});

describe('hexdump', () => {
  test('prints what hexdump -C prints', () => {
    const bytes = new TextEncoder().encode('Hello, World!\n');
    const all = new Uint8Array([...bytes, 0x00, 0x01, 0x02, 0x7f, 0x80, 0xff, ...new TextEncoder().encode(' abcdefghijklmnop')]);
    // printf 'Hello, World!\n\x00\x01\x02\x7f\x80\xff abcdefghijklmnop' | hexdump -C
    expect(hexdump(all)).toBe(
      [
        '00000000  48 65 6c 6c 6f 2c 20 57  6f 72 6c 64 21 0a 00 01  |Hello, World!...|',
        '00000010  02 7f 80 ff 20 61 62 63  64 65 66 67 68 69 6a 6b  |.... abcdefghijk|',
        '00000020  6c 6d 6e 6f 70                                    |lmnop|',
      ].join('\n'),
    );
  });

  test('a short line is padded so the ASCII column lines up (printf Hi | hexdump -C)', () => {
    expect(hexdumpOf('48 69')).toBe('00000000  48 69' + ' '.repeat(45) + '|Hi|');
    expect(hexdumpOf('48 69').indexOf('|')).toBe(hexdump(new Uint8Array(16)).indexOf('|'));
  });

  test('exactly 16 bytes make one line', () => {
    expect(hexdump(new Uint8Array(16)).split('\n')).toHaveLength(1);
    expect(hexdump(new Uint8Array(17)).split('\n')).toHaveLength(2);
  });

  test('no bytes, no lines', () => {
    expect(hexdump(new Uint8Array(0))).toBe('');
  });

  test('stops at maxBytes and says how many more there are', () => {
    const lines = hexdump(new Uint8Array(100), 32).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('… 68 more bytes');
  });

  test('markup-looking bytes stay bytes', () => {
    const hex = [...new TextEncoder().encode('<img src=x>')].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hexdumpOf(hex)).toContain('|<img src=x>|');
  });
  test('converts only the shown bytes of a long payload, with the same result', () => {
    const bytes = new Uint8Array(70000).map((_, i) => i & 0xff);
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    expect(hexdumpOf(hex, 512, bytes.length)).toBe(hexdump(bytes, 512));
    expect(hexdumpOf(hex, 512, bytes.length)).toContain('… 69488 more bytes');
  });
});
