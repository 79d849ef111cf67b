// Form helpers: the create form's options field, and API errors sorted out by field.

import type { ApiError, ListenerView } from './api';
import { setText } from './dom';

/** key=value lines (blank lines and # comments skipped) → options; a malformed line is an error. */
export function parseOptions(text: string): { options: Record<string, string>; error: string | null } {
  const options: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) {
      return { options, error: `line ${i + 1}: write key=value (for example welcome=Hi there)` };
    }
    options[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { options, error: null };
}

/** Where an error's messages go: at the form's own fields, or (naming no field of it) on top. */
export interface SortedProblems {
  byField: Map<string, string>;
  elsewhere: string | null;
}

/**
 * Sorts an API error for a form with these fields: each message of `errors` (or the one
 * `field` with the detail) at the field it names ("options.welcome" goes to "options"), the rest
 * and an error naming no field at all in `elsewhere`.
 */
export function sortProblems(error: ApiError, fields: readonly string[]): SortedProblems {
  const problems =
    error.errors.length > 0
      ? error.errors
      : error.field !== null
        ? [{ field: error.field, message: error.detail }]
        : [];
  const lists = new Map<string, string[]>();
  const elsewhere: string[] = [];
  for (const p of problems) {
    const root = p.field.split(/[.[]/)[0] ?? p.field;
    if (fields.includes(root)) {
      const list = lists.get(root) ?? [];
      list.push(p.field === root ? p.message : `${p.field.slice(root.length).replace(/^\./, '')}: ${p.message}`);
      lists.set(root, list);
    } else {
      elsewhere.push(`${p.field}: ${p.message}`);
    }
  }
  if (problems.length === 0) {
    elsewhere.push(error.status > 0 ? `${error.detail} (${error.status} ${error.title})` : error.detail);
  }
  const byField = new Map<string, string>();
  for (const [f, l] of lists) byField.set(f, l.join('; '));
  return { byField, elsewhere: elsewhere.length > 0 ? elsewhere.join('; ') : null };
}

/** host:port as bound ("127.0.0.1:any" while a port-0 listener is not bound). */
export function listenerAddress(l: Pick<ListenerView, 'host' | 'port' | 'boundPort'>): string {
  if (l.boundPort !== null) {
    return `${l.host}:${l.boundPort}`;
  }
  return l.port === 0 ? `${l.host}:any` : `${l.host}:${l.port}`;
}

/** The framing as a label: raw, line, length-2, stx-etx. */
export function framingLabel(l: Pick<ListenerView, 'framing'>): string {
  const f = l.framing;
  if (f === null) return '';
  return f.type === 'length' ? `length-${f.lengthBytes}` : f.type;
}

/** One field of a form: the input marked invalid, and the element its message goes in. */
export interface FieldSlot {
  input: HTMLElement;
  error: HTMLElement;
}

/**
 * A form's error display: API errors sorted by sortProblems, each message at the field it names
 * (by the API's field names; several names may share a slot, as "text" and "hex" share the
 * payload box), the rest in the form's general error element.
 */
export class FormErrors {
  constructor(
    private readonly general: HTMLElement,
    private readonly fields: Record<string, FieldSlot>,
  ) {}

  clear(): void {
    setText(this.general, '');
    this.general.hidden = true;
    for (const slot of Object.values(this.fields)) {
      slot.input.removeAttribute('aria-invalid');
      setText(slot.error, '');
      slot.error.hidden = true;
    }
  }

  /** Shows an API error; focuses the first field it names. */
  show(error: ApiError): void {
    const { byField, elsewhere } = sortProblems(error, Object.keys(this.fields));
    for (const [field, message] of byField) this.showField(field, message);
    if (elsewhere !== null) this.showGeneral(elsewhere);
    const first = [...byField.keys()][0];
    if (first !== undefined) this.fields[first]?.input.focus();
  }

  showField(field: string, message: string): void {
    const slot = this.fields[field];
    if (slot === undefined) {
      this.showGeneral(`${field}: ${message}`);
      return;
    }
    slot.input.setAttribute('aria-invalid', 'true');
    // two API names sharing a slot: keep both messages
    const before = slot.error.hidden ? '' : (slot.error.textContent ?? '');
    setText(slot.error, before === '' || before === message ? message : `${before}; ${message}`);
    slot.error.hidden = false;
  }

  showGeneral(message: string): void {
    setText(this.general, message);
    this.general.hidden = false;
  }
}
