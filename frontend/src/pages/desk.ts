// The support desk (/desk/{id}): a desk listener's conversations, one transcript at a time, and
// a reply box that sends to that client only. Like the listener page: the traffic live over
// STOMP into a TrafficStore, the connections over REST. Every line comes from the server's
// traffic, so every operator with the page open sees every reply. The listener's id comes from
// the page: <body data-listener="...">.

import { api, kickPath, sendPath, textDecoder, type TrafficEventView } from '../lib/api';
import { DeskStore, renderConversationHead, renderConversations, throttle, TranscriptView, conversationName } from '../lib/desk';
import { byId, setText } from '../lib/dom';
import { listenerAddress } from '../lib/form';
import { CurlPanel, runAction, startLive } from '../lib/page';
import { ListenersStore, TrafficStore } from '../lib/stores';
import { refresher } from '../lib/refresher';

const id = document.body.dataset['listener'] ?? '';
const live = startLive();
const panel = new CurlPanel(byId('curl-panel'));
const listeners = new ListenersStore(api);
const traffic = new TrafficStore(id, api);
const desk = new DeskStore();

const titleEl = byId('desk-title');
const stateEl = byId('desk-state');
const addressEl = byId('desk-address');
const goneEl = byId('desk-gone');
const listEl = byId('desk-conversations');
const countEl = byId('desk-count');
const connError = byId('desk-connections-error');
const dismissAll = byId('desk-dismiss-closed', HTMLButtonElement);
const headEl = byId('desk-conversation-head');
const transcriptEl = byId('desk-transcript');
const replyForm = byId('desk-reply-form', HTMLFormElement);
const replyInput = byId('desk-reply', HTMLInputElement);
const sendButton = byId('desk-send', HTMLButtonElement);
const closeButton = byId('desk-close', HTMLButtonElement);
const errorEl = byId('desk-error');

const baseTitle = document.title;
const transcript = new TranscriptView(transcriptEl);
const rows = new Map<string, { key: string; li: HTMLLIElement }>();

// --- the listener: title, address, state ---

function renderHeader(): void {
  const l = listeners.get(id);
  if (l === undefined) {
    if (listeners.loaded) {
      goneEl.hidden = false;
      setText(stateEl, 'deleted');
      stateEl.className = 'state state-deleted';
    }
    return;
  }
  goneEl.hidden = true;
  setText(titleEl, l.id);
  setText(stateEl, l.state);
  stateEl.className = `state state-${l.state}`;
  const address = listenerAddress(l);
  const [host, port] = address.split(/:(?=[^:]*$)/);
  setText(addressEl, `${l.protocol.toUpperCase()} ${address} · clients connect with nc ${host ?? l.host} ${port ?? ''}`.trim());
  if (traffic.decoder.encoding !== textDecoder(l.charset).encoding) traffic.decoder = textDecoder(l.charset);
}

listeners.subscribe((changed) => {
  if (changed === null || changed === id) renderHeader();
});
listeners.connect(live, (m) => {
  // made again under the same name: its connection ids and sequence numbers start over
  if (m.kind === 'created' && m.listener.id === id) void traffic.reset();
});
void listeners.load().catch(() => {});

// --- rendering, once per frame ---

// in an animation frame; a background tab gets none, so a timer stands in (the tab's title
// carries the unread count there)
let scheduled = false;
function renderSoon(): void {
  if (scheduled) return;
  scheduled = true;
  const run = () => {
    if (!scheduled) return;
    scheduled = false;
    cancelAnimationFrame(frame);
    clearTimeout(timer);
    render();
  };
  const frame = requestAnimationFrame(run);
  const timer = window.setTimeout(run, 250);
}

function render(): void {
  const list = desk.list();
  renderConversations(listEl, list, desk.selected, rows);
  setText(countEl, String(list.filter((c) => c.open).length));
  dismissAll.disabled = !list.some((c) => !c.open);
  const c = desk.selected === null ? undefined : desk.get(desk.selected);
  renderConversationHead(headEl, c);
  transcript.render(c);
  const canReply = c !== undefined && c.open;
  replyInput.disabled = !canReply;
  sendButton.disabled = !canReply || sending;
  closeButton.disabled = !canReply;
  replyInput.placeholder = c === undefined
    ? 'select a conversation'
    : c.open ? `reply to ${conversationName(c)}, then Enter · byebye ends the conversation` : 'this conversation is closed';
  const unread = desk.totalUnread();
  document.title = unread > 0 ? `(${unread}) ${baseTitle}` : baseTitle;
}

desk.subscribe(renderSoon);

// --- connections over REST ---

const conversationList = refresher(async () => {
  const openBefore = desk.openIds();
  try {
    desk.applyConnections(await api.connections(id), openBefore);
    connError.hidden = true;
  } catch (e) {
    setText(connError, `Conversations could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    connError.hidden = false;
  }
});
const refreshConnections = conversationList.now;
const refreshSoon = conversationList.soon;
const refreshForNick = throttle(() => void refreshConnections(), 1000);

// --- traffic into conversations ---

let scanned = 0;
let historyDone = false;
traffic.subscribe(() => {
  const items = traffic.ring.since(scanned);
  scanned = traffic.ring.total;
  const countUnread = historyDone;
  if (traffic.loaded) historyDone = true;
  let batch: TrafficEventView[] = [];
  for (const item of items) {
    if (item.kind === 'reset') {
      if (batch.length > 0) desk.apply(batch, countUnread);
      batch = [];
      desk.reset();
      refreshSoon();
    } else if (item.kind === 'event') {
      batch.push(item.event);
    }
  }
  if (batch.length === 0) return;
  const update = desk.apply(batch, countUnread);
  if (update.refresh) refreshSoon();
  if (update.nick) refreshForNick();
});
live.onConnect((reconnect) => {
  if (reconnect) void refreshConnections();
});

// --- selecting, dismissing ---

function select(cid: string | null): void {
  desk.select(cid);
  errorEl.hidden = true;
  const c = desk.selected;
  history.replaceState(null, '', c === null ? location.pathname + location.search : `#${encodeURIComponent(c)}`);
  if (c !== null) replyInput.focus();
}

listEl.addEventListener('click', (ev) => {
  const target = ev.target as Element;
  const dismiss = target.closest<HTMLButtonElement>('button.dismiss');
  if (dismiss?.dataset['dismiss'] !== undefined) {
    desk.dismiss(dismiss.dataset['dismiss']);
    return;
  }
  const row = target.closest<HTMLElement>('[data-connection]');
  const cid = row?.dataset['connection'];
  if (cid !== undefined) select(cid);
});

listEl.addEventListener('keydown', (ev) => {
  const row = (ev.target as Element).closest<HTMLElement>('[data-connection]');
  if (row === null) return;
  if (ev.key === 'Enter' || ev.key === ' ') {
    if ((ev.target as Element).closest('button') !== null) return;
    ev.preventDefault();
    select(row.dataset['connection'] ?? null);
  } else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    ev.preventDefault();
    const next = ev.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
    if (next instanceof HTMLElement && next.dataset['connection'] !== undefined) next.focus();
  }
});

dismissAll.addEventListener('click', () => {
  desk.dismissClosed();
});

// --- reply and close ---

let sending = false;

replyForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  errorEl.hidden = true;
  const cid = desk.selected;
  const c = cid === null ? undefined : desk.get(cid);
  if (cid === null || c === undefined) {
    setText(errorEl, 'Select a conversation first.');
    errorEl.hidden = false;
    return;
  }
  const text = replyInput.value;
  if (text.trim() === '') {
    setText(errorEl, 'Type a reply first.');
    errorEl.hidden = false;
    return;
  }
  sending = true;
  sendButton.disabled = true;
  const body = { text };
  void runAction(panel, `Reply to ${conversationName(c)} (${cid})`, 'POST', sendPath(id, cid), body, () => api.send(id, cid, body),
    (r) => `200 OK · ${r.bytes} bytes to ${r.connections} connection${r.connections === 1 ? '' : 's'}`,
  ).then((r) => {
    sending = false;
    if (r.error !== undefined) {
      setText(errorEl, r.error.detail);
      errorEl.hidden = false;
      // the conversation may have ended under us
      void refreshConnections();
    } else if (desk.selected === cid) {
      replyInput.value = '';
    }
    render();
    replyInput.focus();
  });
});

closeButton.addEventListener('click', () => {
  const cid = desk.selected;
  const c = cid === null ? undefined : desk.get(cid);
  if (cid === null || c === undefined) return;
  closeButton.disabled = true;
  errorEl.hidden = true;
  void runAction(panel, `Close the conversation with ${conversationName(c)} (${cid})`, 'DELETE', kickPath(id, cid), undefined,
    () => api.kick(id, cid), () => '204 No Content · closed',
  ).then((r) => {
    if (r.error !== undefined) {
      setText(errorEl, r.error.detail);
      errorEl.hidden = false;
    }
    void refreshConnections();
  });
});

// --- start ---

const wanted = decodeURIComponent(location.hash.slice(1));
traffic.connect(live);
void refreshConnections().then(() => {
  if (wanted !== '' && desk.get(wanted) !== undefined && desk.selected === null) select(wanted);
});
void traffic.idle().then(() => {
  if (wanted !== '' && desk.get(wanted) !== undefined && desk.selected === null) select(wanted);
});
render();
