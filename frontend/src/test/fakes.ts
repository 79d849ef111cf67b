// Test doubles: a server-side traffic log with the REST API's paging rules, a live channel
// whose messages the test sends, and builders for events and listeners.

import type { ListenerView, LiveTrafficBatch, TrafficBatchMessage, TrafficEventView, TrafficPage } from '../lib/api';
import type { LiveChannel } from '../lib/live';
import type { TrafficSource } from '../lib/stores';

export function event(seq: number, connection: string | null = 'c1', text = `frame ${seq}`): TrafficEventView {
  const hex = [...new TextEncoder().encode(text)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return {
    seq,
    time: new Date(Date.UTC(2026, 10, 25, 23, 8, 40, seq % 1000)).toISOString(),
    listener: 'demo',
    connection,
    type: 'in',
    size: new TextEncoder().encode(text).length,
    text,
    hex,
    note: null,
  };
}

export function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

/** A live batch of these sequence numbers, with `dropped` skipped just before them. */
export function batch(seqs: number[], dropped = 0, next?: number): TrafficBatchMessage {
  const last = seqs[seqs.length - 1];
  return { listener: 'demo', events: seqs.map((s) => event(s)), dropped, next: next ?? last ?? 0 };
}

/** The same batch as the live topic sends it: lean events, payloads in base64. */
export function liveBatch(seqs: number[], dropped = 0, next?: number): LiveTrafficBatch {
  const b = batch(seqs, dropped, next);
  return {
    listener: b.listener,
    dropped: b.dropped,
    next: b.next,
    events: b.events.map((e) => ({
      seq: e.seq,
      time: Date.parse(e.time),
      ...(e.connection === null ? {} : { connection: e.connection }),
      type: e.type,
      data: btoa(String.fromCharCode(...new TextEncoder().encode(e.text ?? ''))),
    })),
  };
}

/** The server's log: events 1..last, of which those before `first` were dropped (TrafficLog.read's rules). */
export class FakeLog implements TrafficSource {
  last = 0;
  first = 1;
  calls: [number, number][] = [];
  failing = false;

  append(n: number): void {
    this.last += n;
  }

  async traffic(_id: string, after: number, limit: number): Promise<TrafficPage> {
    this.calls.push([after, limit]);
    if (this.failing) throw new Error('connection refused');
    after = Math.min(after, this.last);
    const start = Math.max(after + 1, this.first);
    const missed = Math.max(0, this.first - Math.max(after + 1, 1));
    const end = Math.min(this.last, start + limit - 1);
    const events = range(start, end).map((s) => event(s));
    const next = events.length > 0 ? end : Math.max(after, start - 1);
    return { listener: 'demo', events, next, last: this.last, missed };
  }
}

export class FakeLive implements LiveChannel {
  readonly handlers = new Map<string, Set<(body: unknown) => void>>();
  readonly connectCallbacks = new Set<(reconnect: boolean) => void>();
  /** Every subscription made, with its headers; `active` until unsubscribed. */
  readonly subscriptions: { topic: string; headers: Record<string, string>; active: boolean }[] = [];
  readonly published: { destination: string; body: unknown }[] = [];
  /** Whether publish works (the STOMP connection is up). */
  up = true;

  subscribe<T>(topic: string, handler: (body: T) => void, headers: Record<string, string> = {}): () => void {
    const set = this.handlers.get(topic) ?? new Set();
    const h = handler as (body: unknown) => void;
    set.add(h);
    this.handlers.set(topic, set);
    const record = { topic, headers: { ...headers }, active: true };
    this.subscriptions.push(record);
    return () => {
      record.active = false;
      set.delete(h);
      if (set.size === 0) this.handlers.delete(topic);
    };
  }

  /** The active subscriptions as topic and member header ("-" for none). */
  active(): string[] {
    return this.subscriptions.filter((s) => s.active).map((s) => `${s.topic} ${s.headers['member'] ?? '-'}`);
  }

  isConnected(): boolean {
    return this.up;
  }

  publish(destination: string, body: unknown): boolean {
    if (!this.up) return false;
    this.published.push({ destination, body });
    return true;
  }

  onConnect(callback: (reconnect: boolean) => void): () => void {
    this.connectCallbacks.add(callback);
    return () => this.connectCallbacks.delete(callback);
  }

  send(topic: string, body: unknown): void {
    for (const h of this.handlers.get(topic) ?? []) h(body);
  }

  connected(reconnect: boolean): void {
    for (const cb of this.connectCallbacks) cb(reconnect);
  }
}

export function listener(id: string, overrides: Partial<ListenerView> = {}): ListenerView {
  return {
    id,
    protocol: 'tcp',
    host: '127.0.0.1',
    port: 0,
    boundPort: 40000,
    state: 'running',
    reason: null,
    since: '2026-11-25T23:00:00.123456789Z',
    behaviour: 'echo',
    options: {},
    framing: { type: 'raw', lengthBytes: 2, lineEnding: '\n', flushMillis: 200 },
    charset: 'UTF-8',
    limits: { maxConnections: 1000, idleTimeoutMs: 0, maxFrameBytes: 65536, outboundQueueBytes: 1048576 },
    autostart: true,
    declared: false,
    stats: {
      connections: 0, connectionsTotal: 0, bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0,
      errors: 0, slowClientsClosed: 0, trafficEvents: 0, trafficDropped: 0,
    },
    ...overrides,
  };
}

/** Stands in for the browser's EventSource: the test opens, sends events, fails and ends it. */
export class FakeEventSource {
  static opened: FakeEventSource[] = [];
  readonly listeners = new Map<string, ((e: MessageEvent<string>) => void)[]>();
  closed = false;

  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }

  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
  }

  emit(type: string, data = ''): void {
    for (const l of this.listeners.get(type) ?? []) l({ data } as MessageEvent<string>);
  }

  /** `event: traffic` for each sequence number, as a session's stream writes it. */
  traffic(...seqs: number[]): void {
    for (const s of seqs) this.emit('traffic', JSON.stringify({ ...event(s, 's1'), listener: undefined, session: 's1' }));
  }

  static last(): FakeEventSource {
    const s = FakeEventSource.opened[FakeEventSource.opened.length - 1];
    if (s === undefined) throw new Error('no stream was opened');
    return s;
  }
}
