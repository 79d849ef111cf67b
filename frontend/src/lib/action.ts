// A user action as one API call: its curl shown first, then its result. Apart from page.ts so
// modules that are not pages (the chat session) use it without the page's stylesheet and live
// channel.

import { asApiError, problemText, type ApiError, type Method } from './api';

/** Where user actions show as curl (CurlPanel). */
export interface ActionPanel {
  show(label: string, method: Method, path: string, body?: unknown): void;
  done(ok: boolean, text: string): void;
}

export interface ActionResult<T> {
  value?: T;
  error?: ApiError;
}

/**
 * Runs one API call as a user action: shows its curl first, then what came back (status and a
 * summary, or the problem's detail). Never throws: the caller shows the error where it belongs.
 */
export async function runAction<T>(
  panel: ActionPanel | null,
  label: string,
  method: Method,
  path: string,
  body: unknown,
  call: () => Promise<T>,
  summary: (value: T) => string = () => 'done',
): Promise<ActionResult<T>> {
  panel?.show(label, method, path, body);
  try {
    const value = await call();
    panel?.done(true, summary(value));
    return { value };
  } catch (e) {
    const error = asApiError(e);
    panel?.done(false, problemText(error));
    return { error };
  }
}
