// @vitest-environment jsdom
import { beforeEach, describe, expect, test } from 'vitest';
import { ApiError, type ChatEvent, type ChatMember, type ChatMembership, type ChatPage, type ChatPost, type RoomView } from './api';
import {
  ChatSession,
  ChatStore,
  chatEventElement,
  insertEvents,
  memberElements,
  nickProblem,
  storageKey,
  textProblem,
  type ChatChange,
  type RoomApi,
} from './chat';
import { FakeLive, range } from '../test/fakes';

const XSS = '<img src=x onerror=alert(1)>';

function ev(seq: number, type: ChatEvent['type'] = 'message', nick: string | null = 'bob', text = `hello ${seq}`,
  members?: ChatMember[]): ChatEvent {
  const e: ChatEvent = {
    seq,
    time: new Date(Date.UTC(2026, 10, 26, 4, 10, 0, seq)).toISOString(),
    room: 'lobby',
    type,
    nick,
    text,
    via: nick === null ? null : 'tcp',
  };
  if (members !== undefined) e.members = members;
  return e;
}

function seqs(store: ChatStore): number[] {
  return store.all().map((e) => e.seq);
}

describe('ChatStore', () => {
  test('merges history and live events by seq, each once, and says which were new', () => {
    const s = new ChatStore();
    expect(s.add([ev(5), ev(6)]).map((e) => e.seq)).toEqual([5, 6]);
    // the history comes after the first live events and overlaps them
    expect(s.add(range(1, 6).map((n) => ev(n))).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(s.add([ev(7), ev(6), ev(7)]).map((e) => e.seq)).toEqual([7]);
    expect(seqs(s)).toEqual(range(1, 7));
    expect(s.maxSeq).toBe(7);
  });

  test('keeps the newest `capacity` events and does not take older history back', () => {
    const s = new ChatStore(3);
    s.add(range(1, 5).map((n) => ev(n)));
    expect(seqs(s)).toEqual([3, 4, 5]);
    expect(s.add([ev(2), ev(1)])).toEqual([]);
    expect(s.add([ev(6)]).map((e) => e.seq)).toEqual([6]);
    expect(seqs(s)).toEqual([4, 5, 6]);
  });

  test('presence: the members of the newest join or leave, or a newer RoomView snapshot', () => {
    const s = new ChatStore();
    const alice = { nick: 'alice', via: 'web' };
    const bob = { nick: 'bob', via: 'tcp' };
    s.add([ev(3, 'join', 'bob', 'bob joined', [bob, alice])]);
    expect(s.members.map((m) => m.nick)).toEqual(['alice', 'bob']);
    // an older event arriving late (history) does not undo it
    s.add([ev(2, 'join', 'alice', 'alice joined', [alice])]);
    expect(s.members.map((m) => m.nick)).toEqual(['alice', 'bob']);
    // nor does a snapshot older than it
    expect(s.setMembers([alice], 2)).toBe(false);
    expect(s.members.map((m) => m.nick)).toEqual(['alice', 'bob']);
    s.add([ev(4, 'leave', 'alice', 'alice left', [bob])]);
    expect(s.members).toEqual([bob]);
    expect(s.setMembers([bob, { nick: 'carol', via: 'web' }], 9)).toBe(true);
    expect(s.members.map((m) => m.nick)).toEqual(['bob', 'carol']);
    // a plain message does not touch presence
    s.add([ev(10)]);
    expect(s.members.map((m) => m.nick)).toEqual(['bob', 'carol']);
  });

  test('reset forgets events and members (the server started over)', () => {
    const s = new ChatStore();
    s.add([ev(8, 'join', 'bob', 'bob joined', [{ nick: 'bob', via: 'tcp' }])]);
    s.reset();
    expect(seqs(s)).toEqual([]);
    expect(s.members).toEqual([]);
    expect(s.add([ev(1)]).map((e) => e.seq)).toEqual([1]);
  });
});

describe('checks before asking the server', () => {
  test('nicknames: 1 to 24 of letters, digits, - _ .', () => {
    expect(nickProblem('alice')).toBeNull();
    expect(nickProblem('a.b_c-9')).toBeNull();
    expect(nickProblem('')).toMatch(/Pick/);
    expect(nickProblem('x'.repeat(25))).toMatch(/24/);
    expect(nickProblem('al ice')).toMatch(/letters/);
    expect(nickProblem(XSS)).not.toBeNull();
  });

  test('messages: not blank, at most 1000 characters', () => {
    expect(textProblem('hi')).toBeNull();
    expect(textProblem('x'.repeat(1000))).toBeNull();
    expect(textProblem('x'.repeat(1001))).toMatch(/1000 characters \(this one has 1001\)/);
    expect(textProblem('   ')).toMatch(/Type/);
  });
});

// --- the session against a fake room ---

/** The server's room: events with seq, members with tokens, delivered live to the fake channel. */
class FakeRoom implements RoomApi {
  events: ChatEvent[] = [];
  readonly members = new Map<string, { via: string; token: string | null }>();
  calls: string[] = [];
  private tokens = 0;
  /** When false, nothing is delivered live (the channel is down). */
  deliver = true;

  constructor(readonly live: FakeLive) {}

  memberList(): ChatMember[] {
    return [...this.members].map(([nick, m]) => ({ nick, via: m.via }));
  }

  append(type: ChatEvent['type'], nick: string | null, text: string, via: string | null): ChatEvent {
    const e: ChatEvent = {
      seq: (this.events[this.events.length - 1]?.seq ?? 0) + 1,
      time: new Date().toISOString(),
      room: 'lobby',
      type,
      nick,
      text,
      via,
    };
    if (type === 'join' || type === 'leave') e.members = this.memberList();
    this.events.push(e);
    if (this.deliver) this.live.send('/topic/chat/lobby', e);
    return e;
  }

  tcpJoin(nick: string): void {
    this.members.set(nick, { via: 'tcp', token: null });
    this.append('join', nick, `${nick} joined`, 'tcp');
  }

  say(nick: string, text: string): ChatEvent {
    return this.append('message', nick, text, 'tcp');
  }

  /** The membership ends on the server's side (its STOMP session went). */
  drop(nick: string): void {
    this.members.delete(nick);
    this.append('leave', nick, `${nick} left`, 'web');
  }

  async room(name: string): Promise<RoomView> {
    this.calls.push(`GET room`);
    if (name !== 'lobby') throw new ApiError(404, 'Not Found', `no room ${name}`);
    return { name, listener: name, members: this.memberList(), lastSeq: this.events[this.events.length - 1]?.seq ?? 0 };
  }

  async roomMessages(_name: string, after: number, limit: number): Promise<ChatPage> {
    this.calls.push(`GET messages after=${after} limit=${limit}`);
    const messages = this.events.filter((e) => e.seq > after).slice(0, limit);
    return { room: 'lobby', messages, next: messages[messages.length - 1]?.seq ?? after };
  }

  async postMessage(_name: string, body: ChatPost): Promise<ChatEvent> {
    this.calls.push(`POST message ${body.text}`);
    const m = this.members.get(body.nick);
    if (m !== undefined && m.token !== body.member) {
      throw new ApiError(409, 'Conflict', `the nickname '${body.nick}' is taken`, 'nick');
    }
    return this.append('message', body.nick, body.text, 'web');
  }

  async joinRoom(_name: string, nick: string): Promise<ChatMembership> {
    this.calls.push(`POST members ${nick}`);
    if (this.members.has(nick)) {
      throw new ApiError(409, 'Conflict', `the nickname '${nick}' is taken in lobby (a TCP client has it)`, 'nick');
    }
    const token = `tok${++this.tokens}`;
    this.members.set(nick, { via: 'web', token });
    this.append('join', nick, `${nick} joined`, 'web');
    return { member: token, nick, room: 'lobby' };
  }

  async leaveRoom(_name: string, member: string): Promise<void> {
    this.calls.push(`DELETE members ${member}`);
    for (const [nick, m] of this.members) {
      if (m.token === member) {
        this.members.delete(nick);
        this.append('leave', nick, `${nick} left`, 'web');
        return;
      }
    }
    throw new ApiError(404, 'Not Found', 'no such member');
  }
}

class MemoryStorage {
  readonly map = new Map<string, string>();
  getItem(k: string): string | null {
    return this.map.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.map.set(k, v);
  }
  removeItem(k: string): void {
    this.map.delete(k);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
}

interface Setup {
  live: FakeLive;
  room: FakeRoom;
  storage: MemoryStorage;
  session: ChatSession;
  changes: ChatChange[];
}

function setup(before?: (room: FakeRoom, storage: MemoryStorage) => void): Setup {
  const live = new FakeLive();
  const room = new FakeRoom(live);
  const storage = new MemoryStorage();
  before?.(room, storage);
  const session = new ChatSession('lobby', room, live, { storage, sleep: () => Promise.resolve() });
  const changes: ChatChange[] = [];
  session.subscribe((c) => changes.push(c));
  return { live, room, storage, session, changes };
}

function errors(changes: ChatChange[], kind: 'error' | 'nick-error'): string[] {
  return changes.flatMap((c) => (c.kind === kind ? [c.message] : []));
}

describe('ChatSession', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup((room) => {
      room.tcpJoin('bob');
      for (let i = 0; i < 119; i++) room.say('bob', `line ${i}`);
    });
  });

  test('watches before joining: subscribes without a member header and loads the last 50 events', async () => {
    await s.session.start();
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby -']);
    expect(s.room.calls).toEqual(['GET room', 'GET messages after=70 limit=50']);
    expect(seqs(s.session.store)).toEqual(range(71, 120));
    expect(s.session.store.members).toEqual([{ nick: 'bob', via: 'tcp' }]);
    // a live event overlapping the history is shown once
    s.live.send('/topic/chat/lobby', s.room.events[119]);
    s.room.say('bob', 'new');
    expect(seqs(s.session.store)).toEqual(range(71, 121));
    expect(s.session.state).toBe('watching');
  });

  test('join: POST members, then the room subscription carries member:<token>; kept for a reload', async () => {
    await s.session.start();
    expect(await s.session.join(' alice ')).toBe(true);
    expect(s.session.state).toBe('joined');
    expect(s.session.nick).toBe('alice');
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby tok1']);
    expect(JSON.parse(s.storage.getItem(storageKey('lobby'))!)).toEqual({ nick: 'alice', member: 'tok1' });
    expect(s.session.store.members.map((m) => m.nick)).toEqual(['alice', 'bob']);
    expect(s.session.store.all().at(-1)).toMatchObject({ type: 'join', nick: 'alice' });
  });

  test('a taken nickname is refused with the server\'s reason at the nickname field', async () => {
    await s.session.start();
    expect(await s.session.join('bob')).toBe(false);
    expect(s.session.state).toBe('watching');
    expect(errors(s.changes, 'nick-error')).toEqual(["the nickname 'bob' is taken in lobby (a TCP client has it)"]);
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby -']);
    expect(s.storage.map.size).toBe(0);
  });

  test('an invalid nickname is refused before asking', async () => {
    await s.session.start();
    s.room.calls = [];
    expect(await s.session.join('a b')).toBe(false);
    expect(s.room.calls).toEqual([]);
    expect(errors(s.changes, 'nick-error')).toHaveLength(1);
  });

  test('send goes over STOMP with nick, text and member; an over-long text is not sent at all', async () => {
    await s.session.start();
    await s.session.join('alice');
    expect(await s.session.send('hi all')).toBe(true);
    expect(s.live.published).toEqual([{ destination: '/app/chat/lobby', body: { nick: 'alice', text: 'hi all', member: 'tok1' } }]);
    expect(s.changes.some((c) => c.kind === 'sent')).toBe(true);
    expect(await s.session.send('x'.repeat(1001))).toBe(false);
    expect(s.live.published).toHaveLength(1);
    expect(errors(s.changes, 'error')).toEqual(['A message is at most 1000 characters (this one has 1001).']);
  });

  test('while STOMP is down a message goes over REST, and shows from its answer', async () => {
    await s.session.start();
    await s.session.join('alice');
    s.live.up = false;
    s.room.deliver = false;
    expect(await s.session.send('via rest')).toBe(true);
    expect(s.live.published).toEqual([]);
    expect(s.session.store.all().at(-1)).toMatchObject({ nick: 'alice', text: 'via rest' });
  });

  test('a refusal on /user/queue/errors shows at the message box, with the refused text to put back', async () => {
    await s.session.start();
    await s.session.join('alice');
    await s.session.send('too spicy');
    s.live.send('/user/queue/errors', { detail: 'text: too long', field: 'text' });
    expect(s.changes.at(-1)).toEqual({ kind: 'error', message: 'text: too long', restore: 'too spicy' });
  });

  test('the server saying the membership is gone (field member) makes it join again with the same nick', async () => {
    await s.session.start();
    await s.session.join('alice');
    s.room.members.delete('alice'); // expired without a word
    s.live.send('/user/queue/errors', { detail: 'no such member', field: 'member' });
    await settle();
    expect(s.session.state).toBe('joined');
    expect(s.session.token).toBe('tok2');
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby tok2']);
    expect(JSON.parse(s.storage.getItem(storageKey('lobby'))!).member).toBe('tok2');
  });

  test('events held back from the live topic (a flood) are read from the history when the gap is announced', async () => {
    await s.session.start();
    const before = s.session.store.maxSeq;
    s.room.deliver = false;
    for (let i = 0; i < 30; i++) s.room.say('bob', `flood ${i}`);
    s.room.deliver = true;
    s.live.send('/topic/chat/lobby', { type: 'gap', room: 'lobby', seq: before + 30, skipped: 30 });
    await settle();
    expect(seqs(s.session.store).slice(-30)).toEqual(range(before + 1, before + 30));
    // and a live event that jumps over missing ones brings them too
    s.room.deliver = false;
    s.room.say('bob', 'lost');
    s.room.deliver = true;
    s.room.say('bob', 'after the loss');
    await settle();
    expect(s.session.store.all().slice(-2).map((e) => e.text)).toEqual(['lost', 'after the loss']);
  });

  test('after a reconnect: missed messages by seq, and a rejoin when the gap holds our own leave', async () => {
    await s.session.start();
    await s.session.join('alice');
    const joined = s.session.store.maxSeq;
    // the connection drops: the server ends the membership (announced) and the room goes on
    s.room.deliver = false;
    s.room.drop('alice');
    s.room.say('bob', 'while you were away');
    s.room.deliver = true;
    s.room.calls = [];
    s.live.connected(true);
    await settle();
    expect(s.room.calls.slice(0, 2)).toEqual(['GET room', `GET messages after=${joined} limit=2`]);
    expect(s.session.store.all().some((e) => e.text === 'while you were away')).toBe(true);
    expect(s.room.calls).toContain('POST members alice');
    expect(s.session.token).toBe('tok2');
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby tok2']);
    expect(s.session.store.members.map((m) => m.nick)).toEqual(['alice', 'bob']);
    // just one rejoin, though the stale leave and the check both saw it
    expect(s.room.calls.filter((c) => c.startsWith('POST members'))).toHaveLength(1);
  });

  test('after a reconnect that kept the membership nothing is rejoined', async () => {
    await s.session.start();
    await s.session.join('alice');
    s.room.calls = [];
    s.live.connected(true);
    await settle();
    expect(s.room.calls).toEqual(['GET room']);
    expect(s.session.token).toBe('tok1');
  });

  test('rejoining with a nick someone took meanwhile: back to watching, the reason at the nickname', async () => {
    await s.session.start();
    await s.session.join('alice');
    s.room.deliver = false;
    s.room.drop('alice');
    s.room.tcpJoin('alice');
    s.room.deliver = true;
    s.live.connected(true);
    await settle();
    expect(s.session.state).toBe('watching');
    expect(s.session.token).toBeNull();
    expect(errors(s.changes, 'nick-error').at(-1)).toMatch(/taken in lobby/);
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby -']);
    expect(s.storage.map.size).toBe(0);
  });

  test('leave: DELETE the membership, forget the token, watch on', async () => {
    await s.session.start();
    await s.session.join('alice');
    await s.session.leave();
    expect(s.room.calls).toContain('DELETE members tok1');
    expect(s.session.state).toBe('watching');
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby -']);
    expect(s.storage.map.size).toBe(0);
    expect(s.session.store.members.map((m) => m.nick)).toEqual(['bob']);
    await settle();
    expect(s.room.calls.filter((c) => c.startsWith('POST members'))).toHaveLength(1);
  });

  test('a server that restarted (lastSeq went back) makes the events start over', async () => {
    await s.session.start();
    s.room.events = [];
    s.room.say('bob', 'after the restart');
    s.live.connected(true);
    await settle();
    expect(s.changes.some((c) => c.kind === 'reset')).toBe(true);
    expect(s.session.store.all().map((e) => e.text)).toEqual(['after the restart']);
  });
});

describe('ChatSession after a reload', () => {
  test('the kept membership is tried first: SUBSCRIBE with its token, no new join while it holds', async () => {
    const s = setup((room, storage) => {
      room.members.set('alice', { via: 'web', token: 'old' });
      room.append('join', 'alice', 'alice joined', 'web');
      storage.setItem(storageKey('lobby'), JSON.stringify({ nick: 'alice', member: 'old' }));
    });
    await s.session.start();
    await settle();
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby old']);
    expect(s.session.state).toBe('joined');
    expect(s.room.calls.filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  test('a kept membership that expired: our nick is not present, so it joins again with it', async () => {
    const s = setup((room, storage) => {
      room.tcpJoin('bob');
      storage.setItem(storageKey('lobby'), JSON.stringify({ nick: 'alice', member: 'expired' }));
    });
    await s.session.start();
    await settle();
    expect(s.room.calls).toContain('POST members alice');
    expect(s.session.state).toBe('joined');
    expect(s.live.active()).toEqual(['/user/queue/errors -', '/topic/chat/lobby tok1']);
  });
});

describe('rendering', () => {
  test('nick, text and member names are text, never markup', () => {
    const e = ev(7, 'message', XSS, XSS);
    const el = chatEventElement(e, null);
    expect(el.querySelector('img')).toBeNull();
    expect(el.classList.contains('chat-msg')).toBe(true);
    expect(el.dataset['seq']).toBe('7');
    expect(el.querySelector('.nick')!.textContent).toBe(XSS);
    expect(el.querySelector('.text')!.textContent).toBe(XSS);
    const notice = chatEventElement(ev(8, 'notice', null, XSS), null);
    expect(notice.classList.contains('chat-notice')).toBe(true);
    expect(notice.querySelector('img')).toBeNull();
    expect(notice.textContent).toContain(XSS);
    const items = memberElements([{ nick: XSS, via: 'tcp' }], null);
    expect(items[0]!.querySelector('img')).toBeNull();
    expect(items[0]!.dataset['nick']).toBe(XSS);
    expect(items[0]!.querySelector('.nick')!.textContent).toBe(XSS);
  });

  test('own messages are marked; TCP users with the same nick are not us', () => {
    const mine = { ...ev(1, 'message', 'alice', 'hi'), via: 'web' };
    expect(chatEventElement(mine, 'alice').classList.contains('mine')).toBe(true);
    expect(chatEventElement(ev(2, 'message', 'alice', 'hi'), 'alice').classList.contains('mine')).toBe(false);
  });

  test('events land in seq order, history before what is shown', () => {
    const list = document.createElement('div');
    insertEvents(list, [ev(5), ev(6)], null);
    insertEvents(list, [ev(3), ev(4)], null);
    insertEvents(list, [ev(7)], null);
    expect([...list.children].map((c) => (c as HTMLElement).dataset['seq'])).toEqual(['3', '4', '5', '6', '7']);
  });
});
