// What every page shares: the stylesheet, the live-status banner, and the curl panel that
// shows each action as the curl command doing the same.

import '../styles/socketdeck.css';
import { curlFor, type Method } from './api';
import { byId, setText } from './dom';
import { bindStatus, live, type Live } from './live';

/** Starts the page's live channel and shows its state in #live-status. */
export function startLive(): Live {
  const l = live();
  const banner = document.getElementById('live-status');
  if (banner !== null) {
    bindStatus(banner, l.state);
  }
  return l;
}

/** Copies text; falls back to a selected textarea where the Clipboard API is not allowed. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard !== undefined) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // not allowed (no secure context, no permission): try the old way
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  return ok;
}

/**
 * #curl-panel: the last action as a curl command line (#curl-command), what it answered
 * (#curl-result) and a "Copy as curl" button (#curl-copy).
 */
export class CurlPanel {
  private readonly label: HTMLElement;
  private readonly command: HTMLElement;
  private readonly result: HTMLElement;
  private readonly copy: HTMLButtonElement;

  constructor(readonly root: HTMLElement) {
    this.label = byId('curl-label');
    this.command = byId('curl-command');
    this.result = byId('curl-result');
    this.copy = byId('curl-copy', HTMLButtonElement);
    this.copy.addEventListener('click', () => {
      void copyText(this.command.textContent ?? '').then((ok) => {
        setText(this.copy, ok ? 'Copied ✓' : 'Select and copy');
        setTimeout(() => setText(this.copy, 'Copy as curl'), 1500);
      });
    });
  }

  /** Shows a request as curl; its result follows with done(). */
  show(label: string, method: Method, path: string, body?: unknown): void {
    this.showLine(label, curlFor(method, path, body));
  }

  /** Shows a ready command line (one curlFor cannot build, such as curl -N on a stream). */
  showLine(label: string, line: string): void {
    this.root.hidden = false;
    setText(this.label, label);
    setText(this.command, line);
    setText(this.result, '…');
    this.result.className = 'curl-result pending';
  }

  done(ok: boolean, text: string): void {
    setText(this.result, text);
    this.result.className = `curl-result ${ok ? 'ok' : 'failed'}`;
  }
}

export { runAction, type ActionPanel, type ActionResult } from './action';
