// Clients (/clients): SocketDeck as the client. TCP sessions (open one, follow its traffic over
// Server-Sent Events, send to it), UDP datagrams and their replies, and an HTTP fetch over a raw
// socket shown byte for byte. Every action shows as curl in the panel; API errors show at the
// field they name. No STOMP here: the header's #live-status follows the selected session's stream.

import { api, ApiError, curlStream, sessionPath, sessionStreamPath, type SendBody, type SessionView, type UdpSendResult } from '../lib/api';
import {
  fetchRequest,
  payloadBody,
  renderFetch,
  sessionAddress,
  sessionCounters,
  sessionRow,
  sessionSpec,
  udpReplyRows,
  udpRequest,
  udpSummary,
  type FetchElements,
} from '../lib/clients';
import { byId, formatCount, h, setText } from '../lib/dom';
import { FormErrors, type FieldSlot } from '../lib/form';
import { CurlPanel, runAction } from '../lib/page';
import { renderStreamStatus, SessionTrafficStream } from '../lib/sse';
import { TrafficStore, type TrafficSource } from '../lib/stores';
import { TrafficLogView } from '../lib/traffic-log';

const panel = new CurlPanel(byId('curl-panel'));
const liveStatus = byId('live-status');
renderStreamStatus(liveStatus, 'idle', null);

/** Sessions' history for the traffic store (the same paging as a listener's). */
const sessionTraffic: TrafficSource = { traffic: (id, after, limit) => api.sessionTraffic(id, after, limit) };

/** How often the sessions list is read again while the page is visible (bytes, peer closes). */
const POLL_MS = 3000;

// --- the sessions list ---

const sessionsTable = byId('sessions', HTMLTableElement);
const sessionsBody = sessionsTable.tBodies[0] ?? sessionsTable.createTBody();
const sessionsCount = byId('sessions-count');
const sessionsError = byId('sessions-error');
let sessions: SessionView[] = [];
let listedOnce = false;
/** Rows by session id, with what they show: a row is rebuilt only when that changed, so a poll never swaps a button from under a click. */
const rows = new Map<string, { key: string; tr: HTMLTableRowElement }>();

function renderSessions(): void {
  const wanted: HTMLTableRowElement[] = [];
  const seen = new Set<string>();
  for (const s of sessions) {
    const isSelected = s.id === selected?.id;
    const key = JSON.stringify(s) + isSelected;
    let row = rows.get(s.id);
    if (row === undefined || row.key !== key) {
      row = { key, tr: sessionRow(s, isSelected) };
      rows.set(s.id, row);
    }
    seen.add(s.id);
    wanted.push(row.tr);
  }
  for (const id of [...rows.keys()]) if (!seen.has(id)) rows.delete(id);
  if (wanted.length === 0) {
    wanted.push(h('tr', { class: 'empty' }, h('td', { attrs: { colspan: '7' }, text: 'No sessions yet: open one with the form.' })));
  }
  const current = [...sessionsBody.children];
  if (current.length !== wanted.length || current.some((tr, i) => tr !== wanted[i])) {
    sessionsBody.replaceChildren(...wanted);
  }
  setText(sessionsCount, String(sessions.length));
  renderSelected();
}

/** A session as a REST call just returned it. */
function upsert(view: SessionView): void {
  const i = sessions.findIndex((s) => s.id === view.id);
  if (i >= 0) sessions[i] = view;
  else sessions.push(view);
  renderSessions();
}

let refreshing = false;
let again = false;

async function refreshSessions(): Promise<void> {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    sessions = await api.sessions();
    listedOnce = true;
    sessionsError.hidden = true;
    renderSessions();
  } catch (e) {
    setText(sessionsError, `The sessions could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    sessionsError.hidden = false;
  } finally {
    refreshing = false;
    if (again) {
      again = false;
      void refreshSessions();
    }
  }
}

let soon: number | undefined;
function refreshSoon(): void {
  if (soon === undefined) {
    soon = window.setTimeout(() => {
      soon = undefined;
      void refreshSessions();
    }, 150);
  }
}

sessionsBody.addEventListener('click', (ev) => {
  const button = (ev.target as Element).closest<HTMLButtonElement>('button[data-action]');
  const id = button?.closest('tr')?.dataset['session'];
  if (!button || id === undefined) return;
  if (button.dataset['action'] === 'select') {
    select(id);
    return;
  }
  button.disabled = true;
  void runAction(panel, `Close ${id}`, 'DELETE', sessionPath(id), undefined, () => api.closeSession(id), () => '204 No Content · closed and forgotten')
    .then((r) => {
      if (r.error === undefined) {
        sessions = sessions.filter((s) => s.id !== id);
        renderSessions();
      } else {
        button.disabled = false;
        setText(sessionsError, `${id} could not be closed: ${r.error.detail}`);
        sessionsError.hidden = false;
      }
      void refreshSessions();
    });
});

// --- the selected session: header, traffic log, send box ---

const titleEl = byId('session-title');
const stateEl = byId('session-state');
const addressEl = byId('session-address');
const reasonEl = byId('session-reason');
const countersEl = byId('session-counters');
const noneEl = byId('session-none');
const logEl = byId('session-log');
const streamCurl = byId('session-stream-curl', HTMLButtonElement);

interface Selected {
  id: string;
  store: TrafficStore;
  stream: SessionTrafficStream;
  view: TrafficLogView;
  offs: (() => void)[];
  /** Checking whether a session missing from the list is really gone. */
  checking: boolean;
}

let selected: Selected | null = null;

function select(id: string): void {
  if (selected?.id === id) return;
  unselect();
  const store = new TrafficStore(id, sessionTraffic);
  const stream = new SessionTrafficStream(store, (after) => sessionStreamPath(id, after));
  noneEl.hidden = true;
  logEl.hidden = false;
  const view = new TrafficLogView(logEl, store);
  let scanned = 0;
  const offs = [
    stream.state.subscribe((state) => {
      renderStreamStatus(liveStatus, state, id);
      if (state === 'ended') refreshSoon();
    }),
    // the peer closed, or the connection failed: the list shows the new state and its reason
    store.subscribe(() => {
      for (const item of store.ring.since(scanned)) {
        if (item.kind === 'event' && (item.event.type === 'close' || item.event.type === 'error')) {
          refreshSoon();
          break;
        }
      }
      scanned = store.ring.total;
    }),
  ];
  selected = { id, store, stream, view, offs, checking: false };
  renderStreamStatus(liveStatus, 'connecting', id);
  void stream.start();
  renderSessions();
}

function unselect(): void {
  const s = selected;
  if (s === null) return;
  selected = null;
  for (const off of s.offs) off();
  s.stream.stop();
  s.view.destroy();
  renderStreamStatus(liveStatus, 'idle', null);
}

/** A selected session missing from the list: ended when the API no longer knows it. */
function checkGone(s: Selected): void {
  if (s.checking || s.stream.state.get() === 'ended') return;
  s.checking = true;
  api.session(s.id).then(
    (view) => {
      s.checking = false;
      if (selected === s) upsert(view); // listed meanwhile (a list read before it was opened)
    },
    (e: unknown) => {
      s.checking = false;
      if (selected === s && e instanceof ApiError && e.status === 404) {
        s.stream.end('the session no longer exists');
        renderSelected();
      }
    },
  );
}

function renderSelected(): void {
  const s = selected;
  const view = s === null ? undefined : sessions.find((x) => x.id === s.id);
  streamCurl.disabled = s === null;
  if (s === null) {
    setText(titleEl, 'Session');
    setText(stateEl, 'none');
    stateEl.className = 'state state-none';
    setText(addressEl, '');
    setText(countersEl, '');
    reasonEl.hidden = true;
    noneEl.hidden = false;
    logEl.hidden = true;
    setSendEnabled(false);
    return;
  }
  setText(titleEl, s.id);
  if (view === undefined) {
    if (listedOnce) checkGone(s);
    const ended = s.stream.state.get() === 'ended';
    setText(stateEl, ended ? 'deleted' : '…');
    stateEl.className = `state state-${ended ? 'deleted' : 'none'}`;
    setText(reasonEl, ended ? (s.stream.endReason ?? '') : '');
    reasonEl.hidden = !ended;
    setSendEnabled(false);
    return;
  }
  setText(stateEl, view.state);
  stateEl.className = `state state-${view.state}`;
  setText(addressEl, `TCP ${sessionAddress(view)} · ${view.framing} framing · ${view.charset}`);
  setText(reasonEl, view.reason ?? '');
  reasonEl.hidden = !view.reason;
  setText(countersEl, sessionCounters(view));
  setSendEnabled(view.state === 'open');
}

streamCurl.addEventListener('click', () => {
  if (selected === null) return;
  const cursor = selected.store.cursor;
  panel.showLine(`Follow ${selected.id}'s traffic`, curlStream(sessionStreamPath(selected.id, cursor)));
  panel.done(true, 'Server-Sent Events: one "event: traffic" per frame, as this page reads them');
});

// the open form

const sessionForm = byId('session-form', HTMLFormElement);
const sessionHost = byId('session-host', HTMLInputElement);
const sessionPort = byId('session-port', HTMLInputElement);
const sessionFraming = byId('session-framing', HTMLSelectElement);
const sessionCharset = byId('session-charset', HTMLInputElement);
const sessionOpen = byId('session-open', HTMLButtonElement);

/** An input and its message element: every input's is #{its id}-error, beside it. */
function slot(input: HTMLElement): FieldSlot {
  return { input, error: byId(`${input.id}-error`) };
}

const sessionErrors = new FormErrors(byId('session-error'), {
  host: slot(sessionHost),
  port: slot(sessionPort),
  framing: slot(sessionFraming),
  charset: slot(sessionCharset),
});

sessionForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sessionErrors.clear();
  const spec = sessionSpec({ host: sessionHost.value, port: sessionPort.value, framing: sessionFraming.value, charset: sessionCharset.value });
  sessionOpen.disabled = true;
  void runAction(panel, `Open ${spec.host}:${spec.port}`, 'POST', '/api/sessions', spec, () => api.openSession(spec),
    (v) => `201 Created · ${v.id} ${v.state} to ${sessionAddress(v)}${v.localAddress ? ` from ${v.localAddress}` : ''}`,
  ).then((r) => {
    sessionOpen.disabled = false;
    if (r.value !== undefined) {
      upsert(r.value);
      select(r.value.id);
      rows.get(r.value.id)?.tr.classList.add('fresh');
      sendInput.focus();
      void refreshSessions();
    } else if (r.error !== undefined) {
      sessionErrors.show(r.error);
    }
  });
});

// the send box

const sendForm = byId('session-send-form', HTMLFormElement);
const sendMode = byId('session-send-mode', HTMLSelectElement);
const sendInput = byId('session-send-text', HTMLInputElement);
const sendRaw = byId('session-send-raw', HTMLInputElement);
const sendButton = byId('session-send', HTMLButtonElement);
const sendErrorEl = byId('session-send-error');
const payloadSlot = { input: sendInput, error: sendErrorEl };
const sendErrors = new FormErrors(sendErrorEl, { text: payloadSlot, hex: payloadSlot, raw: payloadSlot });
let sending = false;

function setSendEnabled(enabled: boolean): void {
  sendInput.disabled = !enabled;
  sendButton.disabled = !enabled || sending;
}

function updateSendMode(): void {
  sendInput.placeholder = sendMode.value === 'hex' ? 'hex bytes, e.g. 4d 69 0a, then Enter' : 'text to send, then Enter (line framing adds the \\n)';
  sendInput.classList.toggle('mono', sendMode.value === 'hex');
}
sendMode.addEventListener('change', updateSendMode);
updateSendMode();

sendForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sendErrors.clear();
  const s = selected;
  if (s === null || sending) return;
  const value = sendInput.value;
  if (value === '') {
    sendErrors.showGeneral(sendMode.value === 'hex' ? 'Type the bytes to send in hex.' : 'Type something to send.');
    return;
  }
  const body: SendBody = payloadBody(sendMode.value, value);
  if (sendRaw.checked) body.raw = true;
  sending = true;
  sendButton.disabled = true;
  void runAction(panel, `Send to ${s.id}`, 'POST', sessionPath(s.id, 'send'), body, () => api.sessionSend(s.id, body),
    (r) => `200 OK · ${formatCount(r.bytes)} bytes sent`,
  ).then((r) => {
    sending = false;
    if (r.error !== undefined) {
      sendErrors.show(r.error);
    } else {
      sendInput.value = '';
    }
    renderSelected();
    sendInput.focus();
    // the counters, or the closed state a 409 reports
    void refreshSessions();
  });
});

// --- UDP ---

const udpForm = byId('udp-form', HTMLFormElement);
const udpHost = byId('udp-host', HTMLInputElement);
const udpPort = byId('udp-port', HTMLInputElement);
const udpMode = byId('udp-mode', HTMLSelectElement);
const udpText = byId('udp-text', HTMLInputElement);
const udpCount = byId('udp-count', HTMLInputElement);
const udpWait = byId('udp-wait', HTMLInputElement);
const udpInterval = byId('udp-interval', HTMLInputElement);
const udpSend = byId('udp-send', HTMLButtonElement);
const udpResult = byId('udp-result');
const udpSummaryEl = byId('udp-summary');
const udpNote = byId('udp-note');
const udpHex = byId('udp-hex', HTMLInputElement);
const udpReplies = byId('udp-replies', HTMLTableElement);
const udpRepliesBody = udpReplies.tBodies[0] ?? udpReplies.createTBody();
let lastUdp: UdpSendResult | null = null;

const udpErrors = new FormErrors(byId('udp-error'), {
  host: slot(udpHost),
  port: slot(udpPort),
  text: slot(udpText),
  hex: slot(udpText),
  count: slot(udpCount),
  waitMs: slot(udpWait),
  intervalMs: slot(udpInterval),
});

function renderUdp(): void {
  const r = lastUdp;
  udpResult.hidden = r === null;
  if (r === null) return;
  setText(udpSummaryEl, udpSummary(r));
  setText(udpNote, r.note ?? '');
  udpNote.hidden = r.note === null;
  udpRepliesBody.replaceChildren(...udpReplyRows(r, udpHex.checked));
}

udpHex.addEventListener('change', renderUdp);
udpMode.addEventListener('change', () => {
  udpText.classList.toggle('mono', udpMode.value === 'hex');
  udpText.placeholder = udpMode.value === 'hex' ? 'hex bytes, e.g. 4d 69' : 'text, sent as is (no line ending added)';
});

udpForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  udpErrors.clear();
  const request = udpRequest({
    host: udpHost.value, port: udpPort.value, mode: udpMode.value, payload: udpText.value,
    count: udpCount.value, waitMs: udpWait.value, intervalMs: udpInterval.value,
  });
  udpSend.disabled = true;
  void runAction(panel, `UDP to ${request.host}:${request.port}`, 'POST', '/api/udp/send', request, () => api.udpSend(request),
    (r) => `200 OK · ${udpSummary(r)}`,
  ).then((r) => {
    udpSend.disabled = false;
    if (r.value !== undefined) {
      lastUdp = r.value;
    } else if (r.error !== undefined) {
      lastUdp = null;
      udpErrors.show(r.error);
    }
    renderUdp();
  });
});

// --- fetch ---

const fetchForm = byId('fetch-form', HTMLFormElement);
const fetchUrl = byId('fetch-url', HTMLInputElement);
const fetchMethod = byId('fetch-method', HTMLSelectElement);
const fetchInsecure = byId('fetch-insecure', HTMLInputElement);
const fetchHeadersInput = byId('fetch-req-headers', HTMLTextAreaElement);
const fetchBodyInput = byId('fetch-req-body', HTMLTextAreaElement);
const fetchMore = byId('fetch-more', HTMLDetailsElement);
const fetchGo = byId('fetch-go', HTMLButtonElement);

const fetchEls: FetchElements = {
  result: byId('fetch-result'),
  status: byId('fetch-status'),
  remote: byId('fetch-remote'),
  tls: byId('fetch-tls'),
  timings: byId('fetch-timings'),
  request: byId('fetch-request'),
  requestInfo: byId('fetch-request-info'),
  headers: byId('fetch-headers'),
  body: byId('fetch-body'),
  bodyInfo: byId('fetch-body-info'),
  save: byId('fetch-save', HTMLAnchorElement),
};

const fetchErrors = new FormErrors(byId('fetch-error'), {
  url: slot(fetchUrl),
  method: slot(fetchMethod),
  headers: slot(fetchHeadersInput),
  body: slot(fetchBodyInput),
});

fetchForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  fetchErrors.clear();
  const { request, headersError } = fetchRequest({
    url: fetchUrl.value, method: fetchMethod.value, insecure: fetchInsecure.checked,
    headers: fetchHeadersInput.value, body: fetchBodyInput.value,
  });
  if (headersError !== null) {
    fetchMore.open = true;
    fetchErrors.showField('headers', headersError);
    fetchHeadersInput.focus();
    return;
  }
  fetchGo.disabled = true;
  void runAction(panel, `Fetch ${request.url}`, 'POST', '/api/fetch', request, () => api.fetchHttp(request),
    (r) => `200 OK · ${r.status.line} · ${formatCount(r.body.size)} B body`,
  ).then((r) => {
    fetchGo.disabled = false;
    if (r.value !== undefined) {
      renderFetch(fetchEls, r.value);
    } else if (r.error !== undefined) {
      // an old result under a new error would read as this request's answer
      fetchEls.result.hidden = true;
      if (r.error.fields().some((f) => f.startsWith('headers') || f.startsWith('body'))) fetchMore.open = true;
      fetchErrors.show(r.error);
    }
  });
});

// --- start ---

void refreshSessions().then(() => {
  // coming back to the page: show the newest open session
  const open = sessions.filter((s) => s.state === 'open');
  const newest = open[open.length - 1];
  if (selected === null && newest !== undefined) select(newest.id);
});
window.setInterval(() => {
  if (document.visibilityState === 'visible') void refreshSessions();
}, POLL_MS);
window.addEventListener('pagehide', () => selected?.stream.stop());
