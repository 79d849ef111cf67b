// A chat room (/chat/{room}): watch it, join with a nickname, talk with browser and raw TCP
// users alike. The room comes from the page: <body data-room="...">. The room's logic (history
// and live merged by seq, membership across reconnects and reloads) is in lib/chat.ts.

import { api } from '../lib/api';
import { ChatSession, insertEvents, MAX_TEXT, memberElements, storageKey, trimEvents } from '../lib/chat';
import { byId, h, setText } from '../lib/dom';
import { listenerAddress } from '../lib/form';
import { CurlPanel, startLive } from '../lib/page';

const room = document.body.dataset['room'] ?? '';
const live = startLive();
const panel = new CurlPanel(byId('curl-panel'));

let storage: Storage | null = null;
try {
  storage = window.sessionStorage;
} catch {
  storage = null; // not allowed here: a reload asks for the nickname again
}

const session = new ChatSession(room, api, live, { storage, panel });

// --- elements ---

const joinForm = byId('chat-join-form', HTMLFormElement);
const nickInput = byId('chat-nick', HTMLInputElement);
const joinButton = byId('chat-join', HTMLButtonElement);
const nickError = byId('chat-nick-error');
const meBox = byId('chat-me');
const meNick = byId('chat-me-nick');
const leaveButton = byId('chat-leave', HTMLButtonElement);
const roomError = byId('chat-room-error');
const tcpHint = byId('chat-tcp-hint');
const membersList = byId('chat-members');
const membersCount = byId('chat-members-count');
const messages = byId('chat-messages');
const sendForm = byId('chat-send-form', HTMLFormElement);
const textInput = byId('chat-text', HTMLInputElement);
const sendButton = byId('chat-send', HTMLButtonElement);
const chatError = byId('chat-error');
const counter = byId('chat-counter');

/** Elements the messages list keeps at most. */
const MAX_SHOWN = 1000;

textInput.maxLength = MAX_TEXT;

// --- rendering ---

/** Our nickname while a member (messages and the presence list mark it). */
function me(): string | null {
  return session.state === 'joined' || session.state === 'leaving' ? session.nick : null;
}

function showNickError(message: string | null): void {
  setText(nickError, message ?? '');
  nickError.hidden = message === null;
  if (message === null) nickInput.removeAttribute('aria-invalid');
  else nickInput.setAttribute('aria-invalid', 'true');
}

function showError(message: string | null): void {
  setText(chatError, message ?? '');
  chatError.hidden = message === null;
}

function renderState(): void {
  const s = session.state;
  const member = s === 'joined' || s === 'leaving';
  joinForm.hidden = member;
  meBox.hidden = !member;
  nickInput.disabled = s !== 'watching';
  joinButton.disabled = s !== 'watching';
  setText(joinButton, s === 'joining' ? 'Joining…' : 'Join');
  setText(meNick, session.nick ?? '');
  leaveButton.disabled = s !== 'joined';
  textInput.disabled = s !== 'joined';
  sendButton.disabled = s !== 'joined';
  textInput.placeholder = s === 'joined'
    ? session.rejoining ? 'rejoining…' : `message as ${session.nick ?? ''}, then Enter`
    : 'join with a nickname to talk';
  meBox.classList.toggle('rejoining', session.rejoining);
  document.body.dataset['chatState'] = session.rejoining ? 'rejoining' : s;
}

function renderMembers(): void {
  const members = session.store.members;
  membersList.replaceChildren(...memberElements(members, me()));
  if (members.length === 0) membersList.append(h('li', { class: 'empty', text: 'Nobody here yet.' }));
  setText(membersCount, String(members.length));
}

function atBottom(): boolean {
  return messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
}

function renderAll(): void {
  messages.replaceChildren();
  insertEvents(messages, session.store.all(), me());
  messages.scrollTop = messages.scrollHeight;
}

function renderRoom(): void {
  setText(roomError, session.roomError ?? '');
  roomError.hidden = session.roomError === null;
}

session.subscribe((c) => {
  switch (c.kind) {
    case 'events': {
      const stick = atBottom();
      messages.querySelector(':scope > .chat-empty')?.remove();
      insertEvents(messages, c.added, me());
      trimEvents(messages, MAX_SHOWN);
      if (stick || c.added.some((e) => e.type === 'message' && e.nick === me() && e.via !== 'tcp')) {
        messages.scrollTop = messages.scrollHeight;
      }
      break;
    }
    case 'reset':
      renderAll();
      break;
    case 'members':
      renderMembers();
      break;
    case 'state':
      renderState();
      renderMembers();
      break;
    case 'room':
      renderRoom();
      showTcpHint();
      break;
    case 'nick-error':
      showNickError(c.message);
      if (!nickInput.disabled) nickInput.focus();
      break;
    case 'error':
      showError(c.message);
      if (c.restore !== undefined && textInput.value === '') textInput.value = c.restore;
      break;
    case 'sent':
      textInput.value = '';
      updateCounter();
      break;
  }
});

// --- the TCP side: where nc users connect ---

let hinted = false;
function showTcpHint(): void {
  const r = session.room;
  if (r === null || hinted) return;
  hinted = true;
  api.listener(r.listener).then((l) => {
    const [host, port] = listenerAddress(l).split(/:(?=[^:]*$)/);
    tcpHint.replaceChildren('Raw TCP users join with ', h('code', { text: `nc ${host ?? l.host} ${port ?? ''}`.trim() }),
      ' · ', h('a', { text: `listener ${l.id}`, attrs: { href: `/listeners/${encodeURIComponent(l.id)}` } }));
    tcpHint.hidden = false;
  }, () => {
    hinted = false; // try again with the next room update
  });
}

// --- actions ---

joinForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  showNickError(null);
  showError(null);
  void session.join(nickInput.value).then((ok) => {
    if (ok) textInput.focus();
  });
});

nickInput.addEventListener('input', () => showNickError(null));

leaveButton.addEventListener('click', () => {
  showError(null);
  void session.leave().then(() => {
    nickInput.value = session.nick ?? nickInput.value;
  });
});

function updateCounter(): void {
  const n = textInput.value.length;
  setText(counter, n > MAX_TEXT * 0.8 ? `${n} / ${MAX_TEXT}` : '');
}

textInput.addEventListener('input', () => {
  updateCounter();
  if (!chatError.hidden) showError(null);
});

// Enter submits the form (one-line input); the form's submit sends
sendForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  showError(null);
  void session.send(textInput.value).then(() => textInput.focus());
});

// --- start ---

const kept = (() => {
  try {
    return storage?.getItem(storageKey(room)) ?? null;
  } catch {
    return null;
  }
})();
if (kept === null) nickInput.focus();
messages.replaceChildren(h('div', { class: 'chat-empty', text: 'No messages yet.' }));
renderState();
renderMembers();
void session.start().then(() => {
  if (session.store.all().length === 0 && messages.childElementCount === 0) {
    messages.append(h('div', { class: 'chat-empty', text: 'No messages yet.' }));
  }
  if (session.state === 'joined') textInput.focus();
});
