// A chat room in the browser (/chat/{room}): the room's events merged by sequence number (REST
// history and the live topic overlap), who is present, and the membership: join with a nickname,
// bind it to the STOMP subscription (SUBSCRIBE header member:<token>), keep it across reconnects
// and reloads (rejoining when the server says it is gone), send, leave. Rendering helpers put
// every nick and text in as text nodes.

import {
  ApiError,
  asApiError,
  problemText,
  roomPath,
  type ChatErrorMessage,
  type ChatEvent,
  type ChatGap,
  type ChatMember,
  type ChatMembership,
  type ChatPage,
  type ChatPost,
  type Method,
  type RoomView,
} from './api';
import { runAction, type ActionPanel } from './action';
import { formatClock, formatDateTime, h } from './dom';
import type { LiveChannel } from './live';
import { Emitter } from './stores';

/** Events loaded on joining (and on opening the page). */
export const HISTORY_ON_JOIN = 50;
/** The longest message the server takes. */
export const MAX_TEXT = 1000;
/** Nicknames: 1 to 24 letters, digits, '-', '_', '.'. */
export const NICK_PATTERN = /^[A-Za-z0-9._-]{1,24}$/;
/** Where the server sends what it refused of this STOMP session's SENDs (and member headers). */
export const ERRORS_QUEUE = '/user/queue/errors';
/** The server keeps the last 500 events of a room: a catch-up never asks for more. */
export const ROOM_HISTORY = 500;

export function chatTopic(room: string): string {
  return `/topic/chat/${room}`;
}

export function chatDestination(room: string): string {
  return `/app/chat/${room}`;
}

/** Why a nickname will be refused, before asking; null when it looks fine (the server decides). */
export function nickProblem(nick: string): string | null {
  if (nick === '') return 'Pick a nickname.';
  if (nick.length > 24) return `A nickname is at most 24 characters (this one has ${nick.length}).`;
  if (!NICK_PATTERN.test(nick)) return "A nickname is letters, digits, '-', '_' and '.' only.";
  return null;
}

/** Why a message will be refused, before sending; null when it can go. */
export function textProblem(text: string): string | null {
  if (text.trim() === '') return 'Type a message first.';
  if (text.length > MAX_TEXT) return `A message is at most ${MAX_TEXT} characters (this one has ${text.length}).`;
  return null;
}

function byNick(a: ChatMember, b: ChatMember): number {
  const x = a.nick.toLowerCase();
  const y = b.nick.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a.nick < b.nick ? -1 : a.nick > b.nick ? 1 : 0;
}

// --- the store ---

/**
 * A room's events by sequence number, oldest first, each once whichever way it came (history,
 * live, a REST answer), bounded to the newest `capacity`; and who is present: the members of the
 * newest join or leave event, or of a RoomView snapshot when that is newer.
 */
export class ChatStore {
  private list: ChatEvent[] = [];
  private readonly seen = new Set<number>();
  /** Events at or below this were dropped to keep the bound: older history is not taken back. */
  private floor = 0;
  private membersList: ChatMember[] = [];
  /** The sequence number the members are as of (-1: none yet). */
  private membersSeq = -1;

  constructor(readonly capacity = 1000) {}

  all(): readonly ChatEvent[] {
    return this.list;
  }

  /** The newest sequence number held or dropped (0 when none). */
  get maxSeq(): number {
    const last = this.list[this.list.length - 1];
    return last === undefined ? this.floor : last.seq;
  }

  get members(): readonly ChatMember[] {
    return this.membersList;
  }

  has(seq: number): boolean {
    return this.seen.has(seq) || seq <= this.floor;
  }

  /** Adds events in any order; duplicates and events older than the bound are ignored. The new ones, by seq. */
  add(events: readonly ChatEvent[]): ChatEvent[] {
    const fresh: ChatEvent[] = [];
    for (const e of events) {
      if (typeof e?.seq !== 'number' || this.has(e.seq)) continue;
      this.seen.add(e.seq);
      fresh.push(e);
      if (Array.isArray(e.members) && e.seq > this.membersSeq) {
        this.membersList = [...e.members].sort(byNick);
        this.membersSeq = e.seq;
      }
    }
    if (fresh.length === 0) return fresh;
    fresh.sort((a, b) => a.seq - b.seq);
    const last = this.list[this.list.length - 1];
    if (last === undefined || fresh[0]!.seq > last.seq) {
      this.list.push(...fresh);
    } else {
      this.list = [...this.list, ...fresh].sort((a, b) => a.seq - b.seq);
    }
    if (this.list.length > this.capacity) {
      const gone = this.list.splice(0, this.list.length - this.capacity);
      for (const e of gone) this.seen.delete(e.seq);
      this.floor = Math.max(this.floor, gone[gone.length - 1]!.seq);
      return fresh.filter((e) => e.seq > this.floor);
    }
    return fresh;
  }

  /** A RoomView's members, as of its lastSeq: taken unless a newer join or leave already said otherwise. */
  setMembers(members: readonly ChatMember[], asOfSeq: number): boolean {
    if (asOfSeq < this.membersSeq) return false;
    this.membersList = [...members].sort(byNick);
    this.membersSeq = asOfSeq;
    return true;
  }

  /** Forgets everything (the server started over: its sequence numbers did too). */
  reset(): void {
    this.list = [];
    this.seen.clear();
    this.floor = 0;
    this.membersList = [];
    this.membersSeq = -1;
  }
}

// --- the session ---

export type ChatState = 'watching' | 'joining' | 'joined' | 'leaving';

/** What the page is told about; it reads the rest from the session. */
export type ChatChange =
  /** New events, in seq order (possibly older than some shown: insert them by seq). */
  | { kind: 'events'; added: ChatEvent[] }
  /** The events start over: render them all again. */
  | { kind: 'reset' }
  | { kind: 'members' }
  | { kind: 'state' }
  | { kind: 'room' }
  /** A message for the nickname field. */
  | { kind: 'nick-error'; message: string }
  /** A message for the message box; `restore` is the text that was refused, to put back. */
  | { kind: 'error'; message: string; restore?: string }
  /** The text went out: clear the box. */
  | { kind: 'sent' };

/** The REST calls the session makes (Api has them). */
export interface RoomApi {
  room(room: string): Promise<RoomView>;
  roomMessages(room: string, after: number, limit: number): Promise<ChatPage>;
  postMessage(room: string, body: ChatPost): Promise<ChatEvent>;
  joinRoom(room: string, nick: string): Promise<ChatMembership>;
  leaveRoom(room: string, member: string): Promise<void>;
}


export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ChatOptions {
  /** Where the membership is kept across a reload (sessionStorage); null: nowhere. */
  storage: KeyValueStorage | null;
  panel: ActionPanel | null;
  /** How long to wait before checking again that we are still present. */
  verifyDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  /** Automatic rejoins allowed per minute before giving up (a server that keeps dropping us). */
  maxRejoinsPerMinute: number;
}

const DEFAULTS: ChatOptions = {
  storage: null,
  panel: null,
  verifyDelayMs: 1500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
  maxRejoinsPerMinute: 3,
};

export function storageKey(room: string): string {
  return `socketdeck.chat.${room}`;
}


/**
 * One page's presence in one room. Watches from the start (SUBSCRIBE without a member header);
 * join() makes it a member and moves the subscription to one with member:<token>, which is what
 * keeps the membership alive on the server. After a reconnect (live.ts subscribes again with the
 * same header) it fetches what it missed by seq and makes sure it is still a member: an error
 * naming "member" on /user/queue/errors, a leave of its own nick after it bound, or its nick
 * missing from the room twice in a row, each make it join again with the same nick.
 */
export class ChatSession extends Emitter<ChatChange> {
  readonly store: ChatStore;
  state: ChatState = 'watching';
  nick: string | null = null;
  /** The membership token while a member. */
  token: string | null = null;
  room: RoomView | null = null;
  /** Why the room could not be read (404: no such room), or null. */
  roomError: string | null = null;
  /** Whether the last automatic rejoin is running. */
  rejoining = false;

  private readonly options: ChatOptions;
  private topicOff: (() => void) | null = null;
  private readonly offs: (() => void)[] = [];
  /** Own leave events above this mean the membership ended; null while a bind is settling (ignore them). */
  private leaveFloor: number | null = null;
  private lastSent: string | null = null;
  private readonly rejoinTimes: number[] = [];
  private started = false;

  constructor(
    readonly name: string,
    private readonly api: RoomApi,
    private readonly live: LiveChannel,
    options: Partial<ChatOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
    this.store = new ChatStore();
  }

  /** Subscribes (as the stored member when the page was reloaded) and loads the newest events. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // first, so that after a reconnect it is subscribed again before the room topic is
    this.offs.push(this.live.subscribe<ChatErrorMessage>(ERRORS_QUEUE, (m) => this.onError(m)));
    this.offs.push(this.live.onConnect((reconnect) => {
      if (reconnect) void this.afterReconnect();
    }));
    const stored = this.loadStored();
    if (stored !== null) {
      this.nick = stored.nick;
      this.token = stored.member;
      this.leaveFloor = null;
      this.setState('joined');
      this.bindTopic(stored.member);
    } else {
      this.bindTopic(null);
    }
    await this.loadRecent();
    if (this.state === 'joined') {
      this.leaveFloor = this.room?.lastSeq ?? this.store.maxSeq;
      await this.verifyMembership();
    }
  }

  stop(): void {
    this.topicOff?.();
    this.topicOff = null;
    for (const off of this.offs.splice(0)) off();
  }

  /** Joins with a nickname: POST members, then SUBSCRIBE with the token. False when refused. */
  async join(nickInput: string): Promise<boolean> {
    if (this.state !== 'watching') return false;
    const nick = nickInput.trim();
    const problem = nickProblem(nick);
    if (problem !== null) {
      this.notify({ kind: 'nick-error', message: problem });
      return false;
    }
    this.nick = nick;
    this.setState('joining');
    const r = await this.run(`Join ${this.name} as ${nick}`, 'POST', roomPath(this.name, 'members'), { nick },
      () => this.api.joinRoom(this.name, nick), () => '201 Created · joined');
    if (r.error !== undefined || r.value === undefined) {
      this.setState('watching');
      this.notify({ kind: 'nick-error', message: r.error?.messageFor('nick') ?? r.error?.detail ?? 'not joined' });
      return false;
    }
    await this.bound(r.value);
    return true;
  }

  /** Leaves: DELETE the membership, and watch on without it. */
  async leave(): Promise<void> {
    if (this.state !== 'joined' || this.token === null) return;
    const token = this.token;
    this.setState('leaving');
    const r = await this.run(`Leave ${this.name}`, 'DELETE', roomPath(this.name, 'members', '<member token>'), undefined,
      () => this.api.leaveRoom(this.name, token), () => '204 No Content · left');
    this.dropMembership();
    // the membership is gone either way: unsubscribing the bound subscription ends it too
    if (r.error !== undefined && r.error.status !== 404) {
      this.notify({ kind: 'error', message: `Leaving: ${problemText(r.error)}` });
    }
  }

  /** Sends a message as the member: STOMP SEND while connected, else the REST POST. */
  async send(text: string): Promise<boolean> {
    if (this.state !== 'joined' || this.nick === null || this.token === null) {
      this.notify({ kind: 'error', message: 'Join the room first.' });
      return false;
    }
    const problem = textProblem(text);
    if (problem !== null) {
      this.notify({ kind: 'error', message: problem });
      return false;
    }
    const body: ChatPost = { nick: this.nick, text, member: this.token };
    const path = roomPath(this.name, 'messages');
    const shown = { ...body, member: '<member token>' };
    if (this.live.isConnected() && this.live.publish(chatDestination(this.name), body)) {
      this.options.panel?.show(`Send to ${this.name} (STOMP SEND ${chatDestination(this.name)}; as curl:)`, 'POST', path, shown);
      this.options.panel?.done(true, 'sent over STOMP; a refusal would show at the message box');
      this.lastSent = text;
      this.notify({ kind: 'sent' });
      return true;
    }
    const r = await this.run(`Send to ${this.name}`, 'POST', path, shown, () => this.api.postMessage(this.name, body),
      (e) => `201 Created · #${e.seq}`);
    if (r.value !== undefined) {
      this.ingest([r.value]);
      this.notify({ kind: 'sent' });
      return true;
    }
    const e = r.error!;
    this.notify({ kind: 'error', message: e.messageFor('text') ?? e.messageFor('nick') ?? problemText(e) });
    if (e.field === 'nick' || e.status === 409) void this.verifyMembership();
    return false;
  }

  // --- inside ---

  private setState(s: ChatState): void {
    if (this.state !== s) {
      this.state = s;
      this.notify({ kind: 'state' });
    }
  }

  /** Subscribes to the room (as the member when a token is given), then ends the subscription it replaces. */
  private bindTopic(token: string | null): void {
    const headers: Record<string, string> = token === null ? {} : { member: token };
    const off = this.live.subscribe<ChatEvent | ChatGap>(chatTopic(this.name), (e) => this.onTopic(e), headers);
    const old = this.topicOff;
    this.topicOff = off;
    old?.();
  }

  /** A membership was granted: bind it, keep it, catch up and check it. */
  private async bound(m: ChatMembership): Promise<void> {
    this.nick = m.nick || this.nick;
    this.token = m.member;
    this.leaveFloor = null;
    this.saveStored();
    this.bindTopic(m.member);
    this.setState('joined');
    const room = await this.catchUp();
    if (this.token === m.member) {
      this.leaveFloor = room?.lastSeq ?? this.store.maxSeq;
    }
    await this.verifyMembership();
  }

  private dropMembership(): void {
    this.token = null;
    this.leaveFloor = null;
    this.clearStored();
    this.bindTopic(null);
    this.setState('watching');
  }

  /** A live event, or word of events held back: those are read from the history, one catch-up at a time. */
  private onTopic(e: ChatEvent | ChatGap): void {
    if (e.type === 'gap') {
      if (e.seq > this.store.maxSeq) this.catchUpSoon();
      return;
    }
    const held = this.store.maxSeq;
    const behind = held > 0 && e.seq > held + 1;
    this.ingest([e]);
    // the hole is below what is now held: read from where it starts
    if (behind) this.catchUpSoon(held);
  }

  private catchingUp: Promise<void> | null = null;

  /** Where the next catch-up starts, when one is asked for while another runs. */
  private catchUpFrom: number | null = null;

  private catchUpSoon(from?: number): void {
    const start = from ?? this.store.maxSeq;
    this.catchUpFrom = this.catchUpFrom === null ? start : Math.min(this.catchUpFrom, start);
    if (this.catchingUp !== null) return;
    this.catchingUp = (async () => {
      while (this.catchUpFrom !== null) {
        const after = this.catchUpFrom;
        this.catchUpFrom = null;
        await this.catchUp(after);
      }
      this.catchingUp = null;
    })();
  }

  private ingest(events: readonly ChatEvent[]): void {
    const added = this.store.add(events);
    if (added.length === 0) return;
    this.notify({ kind: 'events', added });
    if (added.some((e) => Array.isArray(e.members))) this.notify({ kind: 'members' });
    const floor = this.leaveFloor;
    if (this.state === 'joined' && !this.rejoining && floor !== null &&
        added.some((e) => e.type === 'leave' && e.nick === this.nick && e.seq > floor)) {
      void this.rejoin();
    }
  }

  /** GET the room: its members and lastSeq; null (and roomError) when it cannot be read. */
  private async readRoom(): Promise<RoomView | null> {
    try {
      const room = await this.api.room(this.name);
      this.room = room;
      const hadError = this.roomError !== null;
      this.roomError = null;
      if (this.store.setMembers(room.members ?? [], room.lastSeq)) this.notify({ kind: 'members' });
      if (hadError) this.notify({ kind: 'room' });
      return room;
    } catch (e) {
      const err = asApiError(e);
      this.roomError = err.status === 404 ? `There is no room "${this.name}" (any more): ${err.detail}` : `The room could not be read: ${err.detail}`;
      this.notify({ kind: 'room' });
      return null;
    }
  }

  /** The newest events: lastSeq from the room, then the HISTORY_ON_JOIN before it. */
  private async loadRecent(): Promise<RoomView | null> {
    const room = await this.readRoom();
    if (room === null) return null;
    this.notify({ kind: 'room' });
    const after = Math.max(0, room.lastSeq - HISTORY_ON_JOIN);
    if (room.lastSeq > after) {
      try {
        const page = await this.api.roomMessages(this.name, after, HISTORY_ON_JOIN);
        this.ingest(page.messages ?? []);
      } catch (e) {
        this.notify({ kind: 'error', message: `The last messages could not be loaded: ${asApiError(e).detail}` });
      }
    }
    return room;
  }

  /** What came after the newest event held, by seq; starts over when the server did. */
  private async catchUp(from?: number): Promise<RoomView | null> {
    const room = await this.readRoom();
    if (room === null) return null;
    if (room.lastSeq < this.store.maxSeq) {
      // the server's sequence numbers went back: it restarted, and its room with it
      this.store.reset();
      this.notify({ kind: 'reset' });
      this.store.setMembers(room.members ?? [], room.lastSeq);
      this.notify({ kind: 'members' });
      return this.loadRecent();
    }
    let after = Math.max(from ?? this.store.maxSeq, room.lastSeq - ROOM_HISTORY);
    for (let pages = 0; after < room.lastSeq && pages < 10; pages++) {
      let page: ChatPage;
      try {
        page = await this.api.roomMessages(this.name, after, Math.min(1000, room.lastSeq - after));
      } catch (e) {
        this.notify({ kind: 'error', message: `Missed messages could not be loaded: ${asApiError(e).detail}` });
        break;
      }
      const messages = page.messages ?? [];
      this.ingest(messages);
      const next = Math.max(page.next ?? 0, messages[messages.length - 1]?.seq ?? 0);
      if (messages.length === 0 || next <= after) break;
      after = next;
    }
    return room;
  }

  private async afterReconnect(): Promise<void> {
    if (this.room === null && this.roomError !== null) {
      await this.loadRecent();
    } else {
      await this.catchUp();
    }
    if (this.state === 'joined' && !this.rejoining) await this.verifyMembership();
  }

  private present(): boolean {
    return this.store.members.some((m) => m.nick === this.nick);
  }

  /** Makes sure we are among the members; when we are not, twice, a while apart, joins again. */
  private async verifyMembership(): Promise<void> {
    const token = this.token;
    if (this.state !== 'joined' || token === null || this.rejoining) return;
    if (this.present()) return;
    await this.options.sleep(this.options.verifyDelayMs);
    if (this.state !== 'joined' || this.token !== token || this.rejoining) return;
    const room = await this.readRoom();
    if (room === null || this.present()) return;
    if (this.state === 'joined' && this.token === token) await this.rejoin();
  }

  /** Joins again with the same nick (the old membership ended); refused: watch, and say why at the nickname. */
  private async rejoin(): Promise<void> {
    const nick = this.nick;
    if (this.rejoining || this.state !== 'joined' || nick === null) return;
    const now = this.options.now();
    while (this.rejoinTimes.length > 0 && now - this.rejoinTimes[0]! > 60_000) this.rejoinTimes.shift();
    if (this.rejoinTimes.length >= this.options.maxRejoinsPerMinute) {
      this.dropMembership();
      this.notify({ kind: 'nick-error', message: 'The room keeps ending this membership; join again when ready.' });
      return;
    }
    this.rejoinTimes.push(now);
    this.rejoining = true;
    this.notify({ kind: 'state' });
    try {
      const r = await this.run(`Rejoin ${this.name} as ${nick}`, 'POST', roomPath(this.name, 'members'), { nick },
        () => this.api.joinRoom(this.name, nick), () => '201 Created · joined again');
      if (r.value !== undefined) {
        this.rejoining = false;
        await this.bound(r.value);
        return;
      }
      this.dropMembership();
      const e = r.error!;
      this.notify({
        kind: 'nick-error',
        message: `Your membership ended and joining again failed: ${e.messageFor('nick') ?? e.detail}`,
      });
    } finally {
      this.rejoining = false;
      this.notify({ kind: 'state' });
    }
  }

  private onError(m: ChatErrorMessage): void {
    if (m === null || typeof m !== 'object') return;
    const detail = typeof m.detail === 'string' ? m.detail : 'refused';
    if (m.field === 'member') {
      if (this.state === 'joined') void this.rejoin();
      return;
    }
    const restore = m.field === 'text' && this.lastSent !== null ? this.lastSent : undefined;
    this.notify(restore === undefined ? { kind: 'error', message: detail } : { kind: 'error', message: detail, restore });
    if (m.field === 'nick') void this.verifyMembership();
  }

  private async run<T>(label: string, method: Method, path: string, body: unknown, call: () => Promise<T>,
    summary: (v: T) => string): Promise<{ value?: T; error?: ApiError }> {
    return runAction(this.options.panel, label, method, path, body, call, summary);
  }

  private loadStored(): { nick: string; member: string } | null {
    try {
      const raw = this.options.storage?.getItem(storageKey(this.name));
      if (raw == null) return null;
      const v: unknown = JSON.parse(raw);
      if (typeof v === 'object' && v !== null) {
        const { nick, member } = v as Record<string, unknown>;
        if (typeof nick === 'string' && typeof member === 'string' && nick !== '' && member !== '') return { nick, member };
      }
    } catch {
      // unreadable: as if nothing was kept
    }
    return null;
  }

  private saveStored(): void {
    try {
      if (this.nick !== null && this.token !== null) {
        this.options.storage?.setItem(storageKey(this.name), JSON.stringify({ nick: this.nick, member: this.token }));
      }
    } catch {
      // full or not allowed: a reload will ask for the nickname again
    }
  }

  private clearStored(): void {
    try {
      this.options.storage?.removeItem(storageKey(this.name));
    } catch {
      // nothing kept
    }
  }
}

// --- rendering ---

/** A chat event as an element: a message (.chat-msg) or a notice (.chat-notice); all text as text. */
export function chatEventElement(e: ChatEvent, ownNick: string | null): HTMLElement {
  const time = h('span', { class: 'time', text: formatClock(e.time), title: `${formatDateTime(e.time)} · #${e.seq}` });
  if (e.type === 'message') {
    const mine = ownNick !== null && e.nick === ownNick && e.via !== 'tcp';
    return h(
      'div',
      { class: `chat-msg${mine ? ' mine' : ''}`, data: { seq: String(e.seq), via: e.via ?? '' } },
      time,
      h('span', { class: 'nick', text: e.nick ?? '?', title: e.via ? `via ${e.via}` : '' }),
      h('span', { class: 'text', text: e.text ?? '' }),
    );
  }
  return h(
    'div',
    { class: `chat-notice chat-${e.type}`, data: { seq: String(e.seq), type: e.type } },
    time,
    h('span', { class: 'text', text: e.text ?? '' }),
  );
}

/** Puts new events' elements into the list by seq (mostly appends; history may land before). */
export function insertEvents(list: HTMLElement, added: readonly ChatEvent[], ownNick: string | null): void {
  for (const e of added) {
    const el = chatEventElement(e, ownNick);
    let before: Element | null = null;
    for (let c = list.lastElementChild; c !== null; c = c.previousElementSibling) {
      const seq = Number((c as HTMLElement).dataset['seq']);
      if (!(seq > e.seq)) break;
      before = c;
    }
    list.insertBefore(el, before);
  }
}

/** Keeps the list at most `max` elements, dropping the oldest. */
export function trimEvents(list: HTMLElement, max: number): void {
  while (list.childElementCount > max && list.firstElementChild !== null) list.firstElementChild.remove();
}

/** The presence list's items: li[data-nick] with the nick and how they are connected. */
export function memberElements(members: readonly ChatMember[], ownNick: string | null): HTMLLIElement[] {
  return members.map((m) =>
    h(
      'li',
      { class: m.nick === ownNick ? 'me' : '', data: { nick: m.nick, via: m.via ?? '' } },
      h('span', { class: 'nick', text: m.nick }),
      h('span', { class: `via via-${m.via === 'tcp' ? 'tcp' : 'web'}`, text: String(m.via ?? '') }),
      m.nick === ownNick ? h('span', { class: 'you', text: '(you)' }) : null,
    ),
  );
}
