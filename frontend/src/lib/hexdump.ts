// Payload bytes as the API gives them (hex pairs) and as people read them (a classic dump).

/** Bytes of a hex string such as "48 69 0a" or "48690a"; other characters are ignored. */
export function hexToBytes(hex: string | null | undefined): Uint8Array {
  const digits = (hex ?? '').replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(digits.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(digits.substr(i * 2, 2), 16);
  }
  return out;
}

const HEX2 = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Bytes as the API writes them: lowercase hex pairs separated by spaces ("48 69 0a"). */
export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    out += i === 0 ? HEX2[bytes[i]!] : ` ${HEX2[bytes[i]!]}`;
  }
  return out;
}

/** Bytes of a base64 string (the live topic's payloads). */
export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Printable ASCII (space to tilde) as itself, everything else as '.'. */
function ascii(b: number): string {
  return b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.';
}

/**
 * A dump as `hexdump -C` prints it: 8-digit hex offset, 16 bytes in hex (a gap after the
 * eighth), then the printable ASCII between bars. One line per 16 bytes; empty for no bytes.
 */
export function hexdump(bytes: Uint8Array, maxBytes = Number.POSITIVE_INFINITY): string {
  const n = Math.min(bytes.length, maxBytes);
  const lines: string[] = [];
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    let hex = '';
    let text = '';
    for (let i = 0; i < 16; i++) {
      const b = row[i];
      hex += (i === 8 ? ' ' : '') + (b === undefined ? '   ' : hex2(b) + ' ');
      text += b === undefined ? '' : ascii(b);
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex} |${text}|`);
  }
  if (bytes.length > n) {
    lines.push(`… ${bytes.length - n} more bytes`);
  }
  return lines.join('\n');
}

/**
 * hexdump() of the API's hex string ("48 69 0a"). Given the payload's size, only the bytes shown
 * are converted: a 64 KiB frame is not parsed whole to show its first rows.
 */
export function hexdumpOf(hex: string | null | undefined, maxBytes?: number, size?: number): string {
  if (hex && maxBytes !== undefined && size !== undefined && size > maxBytes) {
    const shown = hexdump(hexToBytes(hex.slice(0, maxBytes * 3)), maxBytes);
    return `${shown}\n… ${size - maxBytes} more bytes`;
  }
  return hexdump(hexToBytes(hex), maxBytes);
}
