// One listener (/listeners/{id}): its state, connections (kick), the live traffic log, a send
// box and a chart of its rates. The id comes from the page: <body data-listener="...">.

import { api, kickPath, listenerPath, sendPath, textDecoder, type ConnectionInfo, type SendBody } from '../lib/api';
import { RateChart } from '../lib/chart';
import { byId, formatBytes, formatClock, formatCount, formatDateTime, h, setText } from '../lib/dom';
import { framingLabel, listenerAddress } from '../lib/form';
import { CurlPanel, runAction, startLive } from '../lib/page';
import { ListenersStore, StatsStore, TrafficStore } from '../lib/stores';
import { TrafficLogView } from '../lib/traffic-log';
import { refresher } from '../lib/refresher';

const id = document.body.dataset['listener'] ?? '';
const live = startLive();
const panel = new CurlPanel(byId('curl-panel'));
const listeners = new ListenersStore(api);
const stats = new StatsStore();
const traffic = new TrafficStore(id, api);

// --- header ---

const stateEl = byId('listener-state');
const reasonEl = byId('listener-reason');
const addressEl = byId('listener-address');
const detailsEl = byId('listener-details');
const countersEl = byId('listener-counters');
const goneEl = byId('listener-gone');
const startButton = byId('listener-start', HTMLButtonElement);
const stopButton = byId('listener-stop', HTMLButtonElement);

function renderHeader(): void {
  const l = listeners.get(id);
  if (l === undefined) {
    if (listeners.loaded) {
      goneEl.hidden = false;
      setText(stateEl, 'deleted');
      stateEl.className = 'state state-deleted';
      startButton.disabled = stopButton.disabled = true;
    }
    return;
  }
  goneEl.hidden = true;
  setText(stateEl, l.state);
  stateEl.className = `state state-${l.state}`;
  setText(reasonEl, l.reason ?? '');
  reasonEl.hidden = !l.reason;
  setText(addressEl, `${l.protocol.toUpperCase()} ${listenerAddress(l)}`);
  const framing = framingLabel(l);
  const opts = Object.entries(l.options).map(([k, v]) => `${k}=${v}`).join(', ');
  setText(detailsEl, [l.behaviour, framing && `${framing} framing`, l.charset, opts].filter(Boolean).join(' · '));
  if (traffic.decoder.encoding !== textDecoder(l.charset).encoding) traffic.decoder = textDecoder(l.charset);
  startButton.disabled = l.state === 'running';
  stopButton.disabled = l.state !== 'running';
}

function renderCounters(): void {
  const s = stats.latest(id) ?? listeners.get(id)?.stats;
  if (s === undefined) return;
  setText(
    countersEl,
    `${formatCount(s.connections)} connected · ${formatCount(s.connectionsTotal)} in all · ` +
      `in ${formatBytes(s.bytesIn)} / ${formatCount(s.framesIn)} frames · ` +
      `out ${formatBytes(s.bytesOut)} / ${formatCount(s.framesOut)} frames · ` +
      `${formatCount(s.errors)} errors` +
      (s.slowClientsClosed > 0 ? ` · ${formatCount(s.slowClientsClosed)} slow clients closed` : ''),
  );
}

listeners.subscribe((changed) => {
  if (changed === null || changed === id) {
    renderHeader();
    renderCounters();
  }
});
// made again under the same name: its sequence numbers start over
listeners.connect(live, (m) => {
  if (m.kind === 'created' && m.listener.id === id) void traffic.reset();
});
void listeners.load().catch(() => {});

for (const [button, action] of [[startButton, 'start'], [stopButton, 'stop']] as const) {
  button.addEventListener('click', () => {
    button.disabled = true;
    void runAction(panel, `${action === 'start' ? 'Start' : 'Stop'} ${id}`, 'POST', listenerPath(id, action), undefined,
      () => (action === 'start' ? api.start(id) : api.stop(id)),
      (v) => `200 OK · ${v.state}`,
    ).then((r) => {
      if (r.value) listeners.put(r.value);
      else renderHeader();
    });
  });
}

// --- connections ---

const connTable = byId('connections', HTMLTableElement);
const connBody = connTable.tBodies[0] ?? connTable.createTBody();
const connCount = byId('connections-count');
const connError = byId('connections-error');
let connections: ConnectionInfo[] = [];

function renderConnections(list: ConnectionInfo[]): void {
  connections = list;
  const rows = list.map((c) =>
    h(
      'tr',
      { data: { connection: c.id } },
      h('td', { class: 'c-id mono', text: c.id }),
      h('td', { class: 'c-remote mono', text: c.remote }),
      h('td', { class: 'c-opened', text: formatClock(c.openedAt), title: `opened ${formatDateTime(c.openedAt)}, last activity ${formatDateTime(c.lastActivityAt)}` }),
      h('td', { class: 'num', text: formatBytes(c.bytesIn) }),
      h('td', { class: 'num', text: formatBytes(c.bytesOut) }),
      h('td', { class: 'num', text: `${formatCount(c.framesIn)} / ${formatCount(c.framesOut)}` }),
      h('td', { class: 'num', text: c.queuedBytes > 0 ? formatBytes(c.queuedBytes) : '' }),
      h('td', { class: 'c-actions' },
        h('button', { class: 'small kick', text: 'Kick', data: { connection: c.id }, attrs: { type: 'button' }, title: 'Close this connection (UDP: forget the peer)' }),
      ),
    ),
  );
  if (rows.length === 0) {
    rows.push(h('tr', { class: 'empty' }, h('td', { attrs: { colspan: '8' }, text: 'No connections. Connect with nc, or send from a client.' })));
  }
  connBody.replaceChildren(...rows);
  setText(connCount, String(list.length));
  renderTargets();
}

const connectionList = refresher(async () => {
  try {
    renderConnections(await api.connections(id));
    connError.hidden = true;
  } catch (e) {
    setText(connError, `Connections could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    connError.hidden = false;
  }
});
const refreshConnections = connectionList.now;
const refreshSoon = connectionList.soon;

connBody.addEventListener('click', (ev) => {
  const button = (ev.target as Element).closest<HTMLButtonElement>('button.kick');
  const cid = button?.dataset['connection'];
  if (!button || cid === undefined) return;
  button.disabled = true;
  void runAction(panel, `Kick ${cid}`, 'DELETE', kickPath(id, cid), undefined, () => api.kick(id, cid), () => '204 No Content · closed')
    .then(() => refreshConnections());
});

// every second with the stats, and at once when a connection opens or closes
stats.subscribe((changed) => {
  if (changed !== id) return;
  renderCounters();
  if (document.visibilityState === 'visible') void refreshConnections();
});
let scanned = 0;
traffic.subscribe(() => {
  for (const item of traffic.ring.since(scanned)) {
    if (item.kind === 'event' && (item.event.type === 'open' || item.event.type === 'close')) {
      refreshSoon();
      break;
    }
  }
  scanned = traffic.ring.total;
});

// --- send ---

const sendForm = byId('send-form', HTMLFormElement);
const targetSelect = byId('send-target', HTMLSelectElement);
const modeSelect = byId('send-mode', HTMLSelectElement);
const sendInput = byId('send-text', HTMLInputElement);
const rawInput = byId('send-raw', HTMLInputElement);
const sendButton = byId('send-button', HTMLButtonElement);
const sendError = byId('send-error');

function renderTargets(): void {
  const chosen = targetSelect.value;
  const options = [h('option', { text: 'all connections (broadcast)', attrs: { value: '' } })];
  for (const c of connections) {
    options.push(h('option', { text: `${c.id} · ${c.remote}`, attrs: { value: c.id } }));
  }
  if (chosen !== '' && !connections.some((c) => c.id === chosen)) {
    // keep a closed target chosen rather than quietly sending to everyone
    options.push(h('option', { text: `${chosen} (closed)`, attrs: { value: chosen } }));
  }
  targetSelect.replaceChildren(...options);
  targetSelect.value = chosen;
}

const HISTORY_KEY = 'socketdeck.send-history';
const HISTORY_MAX = 50;
interface Sent {
  mode: string;
  text: string;
}

function loadHistory(): Sent[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? '[]');
    return Array.isArray(v) ? v.filter((x): x is Sent => typeof x?.text === 'string' && typeof x?.mode === 'string') : [];
  } catch {
    return [];
  }
}

const history = loadHistory();
/** -1: the draft being typed; 0: the newest entry, and so on. */
let historyAt = -1;
let draft = '';

function remember(entry: Sent): void {
  const last = history[history.length - 1];
  if (last === undefined || last.text !== entry.text || last.mode !== entry.mode) history.push(entry);
  history.splice(0, Math.max(0, history.length - HISTORY_MAX));
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch {
    // private mode or full: the history lasts this page only
  }
}

function recall(at: number): void {
  if (historyAt === -1) draft = sendInput.value;
  historyAt = at;
  if (at === -1) {
    sendInput.value = draft;
  } else {
    const e = history[history.length - 1 - at]!;
    sendInput.value = e.text;
    modeSelect.value = e.mode;
    updateMode();
  }
  sendInput.setSelectionRange(sendInput.value.length, sendInput.value.length);
}

sendInput.addEventListener('keydown', (ev) => {
  if (ev.key === 'ArrowUp' && historyAt < history.length - 1) {
    ev.preventDefault();
    recall(historyAt + 1);
  } else if (ev.key === 'ArrowDown' && historyAt > -1) {
    ev.preventDefault();
    recall(historyAt - 1);
  }
});
sendInput.addEventListener('input', () => {
  historyAt = -1;
});

function updateMode(): void {
  sendInput.placeholder = modeSelect.value === 'hex' ? 'hex bytes, e.g. 48 69 0a, then Enter' : 'text to send, then Enter (↑ for history)';
  sendInput.classList.toggle('mono', modeSelect.value === 'hex');
}
modeSelect.addEventListener('change', updateMode);
updateMode();

sendForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sendError.hidden = true;
  const value = sendInput.value;
  const mode = modeSelect.value === 'hex' ? 'hex' : 'text';
  if (value === '') {
    setText(sendError, mode === 'hex' ? 'Type the bytes to send in hex.' : 'Type something to send.');
    sendError.hidden = false;
    return;
  }
  const body: SendBody = mode === 'hex' ? { hex: value } : { text: value };
  if (rawInput.checked) body.raw = true;
  const target = targetSelect.value === '' ? null : targetSelect.value;
  sendButton.disabled = true;
  void runAction(panel, target === null ? 'Broadcast' : `Send to ${target}`, 'POST', sendPath(id, target), body,
    () => (target === null ? api.broadcast(id, body) : api.send(id, target, body)),
    (r) => `200 OK · ${formatCount(r.bytes)} bytes to ${r.connections} connection${r.connections === 1 ? '' : 's'}`,
  ).then((r) => {
    sendButton.disabled = false;
    if (r.error !== undefined) {
      setText(sendError, r.error.detail);
      sendError.hidden = false;
    } else {
      remember({ mode, text: value });
      historyAt = -1;
      sendInput.value = '';
    }
    sendInput.focus();
  });
});

// --- traffic and chart ---

new TrafficLogView(byId('traffic-log'), traffic);
traffic.connect(live);
stats.watch(id, live);
new RateChart(byId('chart'), stats, id);
void refreshConnections();
