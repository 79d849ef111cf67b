// The dashboard (/): every listener with its state and live rates, start/stop/delete, and the
// form that creates one. Listeners come from the listeners store (snapshot + /topic/listeners);
// rates and connections from each listener's stats topic, once a second.

import { api, ApiError, curlFor, listenerPath, type Behaviour, type ListenerSpec, type ListenerView } from '../lib/api';
import { append, byId, formatBytes, formatCount, h, setText } from '../lib/dom';
import { framingLabel, listenerAddress, parseOptions, sortProblems } from '../lib/form';
import { copyText, CurlPanel, runAction, startLive } from '../lib/page';
import { ListenersStore, StatsStore } from '../lib/stores';

const live = startLive();
const panel = new CurlPanel(byId('curl-panel'));
const listeners = new ListenersStore(api);
const stats = new StatsStore();

// --- the table ---

const table = byId('listeners', HTMLTableElement);
const tbody = table.tBodies[0] ?? table.createTBody();
const count = document.getElementById('listeners-count');
const rows = new Map<string, HTMLTableRowElement>();
const watching = new Map<string, () => void>();

interface RowCells {
  id: HTMLTableCellElement;
  address: HTMLTableCellElement;
  behaviour: HTMLTableCellElement;
  state: HTMLTableCellElement;
  connections: HTMLTableCellElement;
  rateIn: HTMLTableCellElement;
  rateOut: HTMLTableCellElement;
  actions: HTMLTableCellElement;
}

const cells = new WeakMap<HTMLTableRowElement, RowCells>();

function newRow(id: string): HTMLTableRowElement {
  const c: RowCells = {
    id: h('td', { class: 'c-id' }),
    address: h('td', { class: 'c-address mono' }),
    behaviour: h('td', { class: 'c-behaviour' }),
    state: h('td', { class: 'c-state' }),
    connections: h('td', { class: 'c-connections num' }),
    rateIn: h('td', { class: 'c-in num' }),
    rateOut: h('td', { class: 'c-out num' }),
    actions: h('td', { class: 'c-actions' }),
  };
  const tr = h('tr', { data: { id } }, ...Object.values(c));
  c.id.append(h('a', { text: id, attrs: { href: `/listeners/${encodeURIComponent(id)}` } }));
  c.actions.append(
    h('button', { class: 'small start', text: 'Start', data: { action: 'start' }, attrs: { type: 'button' } }),
    h('button', { class: 'small stop', text: 'Stop', data: { action: 'stop' }, attrs: { type: 'button' } }),
    h('button', { class: 'small danger delete', text: 'Delete', data: { action: 'delete' }, attrs: { type: 'button' } }),
  );
  cells.set(tr, c);
  return tr;
}

function fillRow(tr: HTMLTableRowElement, l: ListenerView): void {
  const c = cells.get(tr)!;
  tr.dataset['state'] = l.state;
  c.address.replaceChildren();
  append(c.address, h('span', { class: 'protocol', text: l.protocol.toUpperCase() }), ' ', listenerAddress(l));
  c.address.title = l.port === 0 ? 'port 0: any free port; this is the one it got' : '';
  const framing = l.framing === null ? '' : framingLabel(l);
  c.behaviour.replaceChildren();
  append(c.behaviour, l.behaviour, framing && h('span', { class: 'muted', text: `${framing} framing` }));
  const page = behaviourPage(l);
  const link = c.id.querySelector<HTMLAnchorElement>('a.page-link');
  if (page === null) {
    link?.remove();
  } else if (link === null || link.getAttribute('href') !== page.href) {
    link?.remove();
    c.id.append(h('a', { class: 'page-link', text: page.text, title: page.title, attrs: { href: page.href } }));
  }
  c.state.replaceChildren();
  append(c.state, h('span', { class: `state state-${l.state}`, text: l.state }), l.reason && h('div', { class: 'reason', text: l.reason }));
  for (const b of c.actions.querySelectorAll<HTMLButtonElement>('button')) {
    const a = b.dataset['action'];
    b.disabled = (a === 'start' && l.state === 'running') || (a === 'stop' && l.state !== 'running');
  }
  fillRates(tr, l.id);
}

/** A chat listener's room and a desk listener's operator page, beside its own page. */
function behaviourPage(l: ListenerView): { href: string; text: string; title: string } | null {
  const name = encodeURIComponent(l.id);
  if (l.behaviour === 'chat') return { href: `/chat/${name}`, text: 'chat', title: `Open the chat room ${l.id} in the browser` };
  if (l.behaviour === 'desk') return { href: `/desk/${name}`, text: 'desk', title: `Open the support desk ${l.id} (operator page)` };
  return null;
}

function rate(bytes: number, frames: number): HTMLElement[] {
  return [h('span', { text: `${formatBytes(bytes)}/s` }), h('small', { text: `${formatCount(frames)} frames/s` })];
}

function fillRates(tr: HTMLTableRowElement, id: string): void {
  const c = cells.get(tr)!;
  const s = stats.latest(id);
  const l = listeners.get(id);
  setText(c.connections, formatCount(s?.connections ?? l?.stats.connections ?? 0));
  if (s === undefined) {
    setText(c.rateIn, '–');
    setText(c.rateOut, '–');
    return;
  }
  c.rateIn.replaceChildren(...rate(s.bytesInPerSec, s.framesInPerSec));
  c.rateOut.replaceChildren(...rate(s.bytesOutPerSec, s.framesOutPerSec));
  c.rateIn.title = `${formatBytes(s.bytesIn)} in all, ${formatCount(s.framesIn)} frames`;
  c.rateOut.title = `${formatBytes(s.bytesOut)} in all, ${formatCount(s.framesOut)} frames`;
}

function render(): void {
  const all = listeners.all();
  const seen = new Set<string>();
  // server-rendered rows (before the first load) and the "none" row go
  for (const stale of tbody.querySelectorAll('tr:not([data-live])')) stale.remove();
  let before: ChildNode | null = tbody.firstChild;
  for (const l of all) {
    seen.add(l.id);
    let tr = rows.get(l.id);
    if (tr === undefined) {
      tr = newRow(l.id);
      tr.dataset['live'] = '';
      rows.set(l.id, tr);
    }
    fillRow(tr, l);
    if (tr !== before) tbody.insertBefore(tr, before);
    before = tr.nextSibling;
    if (!watching.has(l.id)) watching.set(l.id, stats.watch(l.id, live));
  }
  for (const [id, tr] of rows) {
    if (!seen.has(id)) {
      tr.remove();
      rows.delete(id);
      watching.get(id)?.();
      watching.delete(id);
      stats.forget(id);
    }
  }
  if (all.length === 0) {
    tbody.append(h('tr', { class: 'empty' }, h('td', { attrs: { colspan: '8' }, text: 'No listeners yet: create one with the form.' })));
  }
  if (count !== null) setText(count, `${all.length}`);
}

listeners.subscribe(render);
stats.subscribe((id) => {
  const tr = rows.get(id);
  if (tr !== undefined) fillRates(tr, id);
});
listeners.connect(live);
listeners.load().catch((e: unknown) => {
  panel.show('Load listeners', 'GET', '/api/listeners');
  panel.done(false, e instanceof ApiError ? e.detail : String(e));
});

const confirmTimers = new WeakMap<HTMLButtonElement, number>();

tbody.addEventListener('click', (ev) => {
  const button = (ev.target as Element).closest<HTMLButtonElement>('button[data-action]');
  const tr = button?.closest('tr');
  const id = tr?.dataset['id'];
  if (!button || id === undefined) return;
  const action = button.dataset['action'];
  if (action === 'start' || action === 'stop') {
    const label = action === 'start' ? 'Start' : 'Stop';
    button.disabled = true;
    void runAction(panel, `${label} ${id}`, 'POST', listenerPath(id, action), undefined,
      () => (action === 'start' ? api.start(id) : api.stop(id)),
      (v) => `200 OK · ${v.state}${v.boundPort !== null ? ` on port ${v.boundPort}` : ''}`,
    ).then((r) => {
      if (r.value) listeners.put(r.value);
      else render();
    });
  } else if (action === 'delete') {
    // two clicks: the first arms the button for a few seconds
    if (!button.classList.contains('confirming')) {
      button.classList.add('confirming');
      setText(button, 'Really delete?');
      confirmTimers.set(button, window.setTimeout(() => {
        button.classList.remove('confirming');
        setText(button, 'Delete');
      }, 4000));
      return;
    }
    clearTimeout(confirmTimers.get(button));
    button.disabled = true;
    void runAction(panel, `Delete ${id}`, 'DELETE', listenerPath(id), undefined, () => api.remove(id), () => '204 No Content · deleted')
      .then((r) => {
        if (r.error === undefined) listeners.remove(id);
        else {
          button.disabled = false;
          button.classList.remove('confirming');
          setText(button, 'Delete');
        }
      });
  }
});

// --- the create form ---

const form = byId('create-form', HTMLFormElement);
const nameInput = byId('create-name', HTMLInputElement);
const protocolSelect = byId('create-protocol', HTMLSelectElement);
const portInput = byId('create-port', HTMLInputElement);
const behaviourSelect = byId('create-behaviour', HTMLSelectElement);
const behaviourHelp = byId('create-behaviour-help');
const optionsInput = byId('create-options', HTMLTextAreaElement);
const framingSelect = byId('create-framing', HTMLSelectElement);
const charsetInput = byId('create-charset', HTMLInputElement);
const autostartInput = byId('create-autostart', HTMLInputElement);
const formError = byId('create-error');
const submit = byId('create-submit', HTMLButtonElement);
const copyCurl = byId('create-copy-curl', HTMLButtonElement);

/** The form's fields by the API's field names. */
const FIELDS: Record<string, HTMLElement> = {
  name: nameInput,
  protocol: protocolSelect,
  port: portInput,
  behaviour: behaviourSelect,
  options: optionsInput,
  framing: framingSelect,
  charset: charsetInput,
  autostart: autostartInput,
};

let behaviours: Behaviour[] = [];

function fillBehaviours(list: Behaviour[]): void {
  behaviours = list;
  const chosen = behaviourSelect.value || 'echo';
  behaviourSelect.replaceChildren(
    ...list.map((b) => h('option', { text: b.udp ? b.name : `${b.name} (TCP only)`, attrs: { value: b.name } })),
  );
  behaviourSelect.value = list.some((b) => b.name === chosen) ? chosen : (list[0]?.name ?? '');
  describeBehaviour();
}

function describeBehaviour(): void {
  const b = behaviours.find((x) => x.name === behaviourSelect.value);
  const first = framingSelect.options[0];
  if (first !== undefined) first.text = b ? `default (${b.defaultFraming})` : 'default';
  if (b === undefined) {
    setText(behaviourHelp, '');
    optionsInput.placeholder = 'key=value, one per line';
    return;
  }
  const opts = Object.entries(b.options);
  setText(behaviourHelp, b.description + (opts.length > 0 ? `. Options: ${opts.map(([k]) => k).join(', ')}.` : '. No options.'));
  optionsInput.placeholder = opts.length > 0 ? opts.map(([k, v]) => `${k}=${v}`).join('\n') : '(this behaviour has no options)';
}

api.behaviours().then(fillBehaviours, (e: unknown) => {
  setText(formError, `The behaviours could not be loaded: ${e instanceof ApiError ? e.detail : String(e)}`);
});
behaviourSelect.addEventListener('change', describeBehaviour);

/** The request the form describes; fields left empty take the API's defaults. */
function readForm(): { spec: ListenerSpec; optionsError: string | null } {
  const { options, error } = parseOptions(optionsInput.value);
  const spec: ListenerSpec = {
    name: nameInput.value.trim(),
    protocol: protocolSelect.value === 'udp' ? 'udp' : 'tcp',
    behaviour: behaviourSelect.value,
  };
  const port = portInput.value.trim();
  if (port !== '') {
    // a number as a number; anything else as typed, so the API's message says what is wrong
    (spec as { port?: number | string }).port = /^\d+$/.test(port) ? Number(port) : port;
  }
  if (Object.keys(options).length > 0) spec.options = options;
  if (framingSelect.value !== '') spec.framing = framingSelect.value;
  const charset = charsetInput.value.trim();
  if (charset !== '' && charset.toUpperCase() !== 'UTF-8') spec.charset = charset;
  if (!autostartInput.checked) spec.autostart = false;
  return { spec, optionsError: error };
}

function errorSlot(field: string): HTMLElement | null {
  return document.getElementById(`create-${field}-error`);
}

function clearErrors(): void {
  setText(formError, '');
  formError.hidden = true;
  for (const [field, input] of Object.entries(FIELDS)) {
    input.removeAttribute('aria-invalid');
    const slot = errorSlot(field);
    if (slot !== null) {
      setText(slot, '');
      slot.hidden = true;
    }
  }
}

function showFieldError(field: string, message: string): void {
  const slot = errorSlot(field);
  FIELDS[field]?.setAttribute('aria-invalid', 'true');
  if (slot !== null) {
    setText(slot, message);
    slot.hidden = false;
  }
}

function showFormError(message: string): void {
  setText(formError, message);
  formError.hidden = false;
}

/** Puts each message at the field it names; whatever names no field of the form goes on top. */
function showErrors(error: ApiError): void {
  const { byField, elsewhere } = sortProblems(error, Object.keys(FIELDS));
  for (const [field, message] of byField) showFieldError(field, message);
  if (elsewhere !== null) showFormError(elsewhere);
  const first = [...byField.keys()][0];
  if (first !== undefined) FIELDS[first]?.focus();
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearErrors();
  const { spec, optionsError } = readForm();
  if (optionsError !== null) {
    showFieldError('options', optionsError);
    optionsInput.focus();
    return;
  }
  submit.disabled = true;
  void runAction(panel, `Create ${spec.name || 'a listener'}`, 'POST', '/api/listeners', spec, () => api.create(spec),
    (v) => `201 Created · ${v.protocol} ${listenerAddress(v)} ${v.state}`,
  ).then((r) => {
    submit.disabled = false;
    if (r.value !== undefined) {
      listeners.put(r.value);
      nameInput.value = '';
      portInput.value = '';
      rows.get(r.value.id)?.classList.add('fresh');
    } else if (r.error !== undefined) {
      showErrors(r.error);
    }
  });
});

copyCurl.addEventListener('click', () => {
  const { spec } = readForm();
  const line = curlFor('POST', '/api/listeners', spec);
  panel.show(`Create ${spec.name || 'a listener'} (not sent)`, 'POST', '/api/listeners', spec);
  panel.done(true, 'copied; run it in a terminal');
  void copyText(line).then((ok) => {
    setText(copyCurl, ok ? 'Copied ✓' : 'See below');
    setTimeout(() => setText(copyCurl, 'Copy as curl'), 1500);
  });
});
