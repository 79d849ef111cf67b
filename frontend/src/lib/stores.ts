// Typed stores the pages render from: each loads a snapshot over REST, then applies live
// messages. Pages subscribe to a store and read it; they never talk to STOMP themselves.

import type {
  ListenerEventMessage,
  ListenerView,
  LiveTrafficBatch,
  StatsMessage,
  TrafficBatchMessage,
  TrafficEventView,
  TrafficPageBase,
} from './api';
import { expandLiveBatch, textDecoder } from './api';
import type { LiveSource } from './live';

// --- basics ---

/** Subscribe/notify. A throwing subscriber is reported and does not stop the others. */
export class Emitter<E = void> {
  private readonly fns = new Set<(e: E) => void>();

  subscribe(fn: (e: E) => void): () => void {
    this.fns.add(fn);
    return () => {
      this.fns.delete(fn);
    };
  }

  protected notify(e: E): void {
    for (const fn of [...this.fns]) {
      try {
        fn(e);
      } catch (err) {
        reportError(err);
      }
    }
  }
}

/** One value that can be watched. */
export class Store<T> extends Emitter<T> {
  constructor(private value: T) {
    super();
  }

  get(): T {
    return this.value;
  }

  set(value: T): void {
    if (!Object.is(value, this.value)) {
      this.value = value;
      this.notify(value);
    }
  }
}

/**
 * Compares two ISO-8601 instants as Java writes them (1 to 9 fractional digits, or none):
 * negative when a is earlier. Date.parse would drop everything past the millisecond.
 */
export function compareInstants(a: string, b: string): number {
  const norm = (s: string) => {
    const m = /^(.*?T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(s);
    return m ? `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z` : s;
  };
  const x = norm(a);
  const y = norm(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// --- listeners ---

export interface ListenersSource {
  listeners(): Promise<ListenerView[]>;
}

/**
 * Every listener by id: a snapshot from GET /api/listeners, then the /topic/listeners events
 * (created, started, stopped, failed replace the listener; deleted removes it). Events that
 * arrive while a snapshot loads are applied after it, and an event older than what the store
 * holds (by the listener's `since`) is ignored, so a late event never undoes a newer state.
 * Notifies with the id that changed, or null when everything may have.
 */
export class ListenersStore extends Emitter<string | null> {
  private readonly map = new Map<string, ListenerView>();
  private buffered: ListenerEventMessage[] | null = null;
  loaded = false;

  constructor(private readonly source: ListenersSource) {
    super();
  }

  get(id: string): ListenerView | undefined {
    return this.map.get(id);
  }

  /** Every listener, by id. */
  all(): ListenerView[] {
    return [...this.map.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Replaces the store's contents with a snapshot; events that came meanwhile follow it. */
  async load(): Promise<void> {
    this.buffered ??= [];
    try {
      const snapshot = await this.source.listeners();
      this.map.clear();
      for (const l of snapshot) {
        this.map.set(l.id, l);
      }
      this.loaded = true;
    } finally {
      const events = this.buffered ?? [];
      this.buffered = null;
      for (const e of events) {
        this.applyNow(e);
      }
      this.notify(null);
    }
  }

  /** A /topic/listeners message. */
  apply(message: ListenerEventMessage): void {
    if (this.buffered !== null) {
      this.buffered.push(message);
      return;
    }
    if (this.applyNow(message)) {
      this.notify(message.listener.id);
    }
  }

  /** A listener as a REST call just returned it (start, stop, create). */
  put(view: ListenerView): void {
    if (this.applyNow({ kind: 'started', listener: view })) {
      this.notify(view.id);
    }
  }

  /** A listener just deleted over REST. */
  remove(id: string): void {
    if (this.map.delete(id)) {
      this.notify(id);
    }
  }

  private applyNow(message: ListenerEventMessage): boolean {
    const view = message.listener;
    const current = this.map.get(view.id);
    if (current !== undefined && compareInstants(view.since, current.since) < 0) {
      return false; // older than what we hold
    }
    if (message.kind === 'deleted') {
      return this.map.delete(view.id);
    }
    this.map.set(view.id, view);
    return true;
  }

  /**
   * Follows /topic/listeners and loads the snapshot, again after every reconnect; `onEvent` also
   * sees each message, so a page needs no second subscription to the same topic.
   */
  connect(live: LiveSource, onEvent?: (m: ListenerEventMessage) => void): () => void {
    const off = live.subscribe<ListenerEventMessage>('/topic/listeners', (m) => {
      this.apply(m);
      onEvent?.(m);
    });
    const offConnect = live.onConnect((reconnect) => {
      if (reconnect) {
        void this.load().catch(reportError);
      }
    });
    return () => {
      off();
      offConnect();
    };
  }
}

// --- stats ---

/**
 * Each listener's stats: the newest /topic/listeners/{id}/stats message and those of the last
 * `windowSeconds` for the chart. Notifies with the listener's id.
 */
export class StatsStore extends Emitter<string> {
  private readonly latestById = new Map<string, StatsMessage>();
  private readonly historyById = new Map<string, StatsMessage[]>();
  private readonly watchers = new Map<string, { count: number; off: () => void }>();

  constructor(private readonly windowSeconds = 60) {
    super();
  }

  latest(id: string): StatsMessage | undefined {
    return this.latestById.get(id);
  }

  /** Oldest first, within the window before the newest sample. */
  history(id: string): readonly StatsMessage[] {
    return this.historyById.get(id) ?? [];
  }

  apply(message: StatsMessage): void {
    const id = message.listener;
    this.latestById.set(id, message);
    const h = this.historyById.get(id) ?? [];
    h.push(message);
    const newest = Date.parse(message.time);
    const cutoff = newest - this.windowSeconds * 1000;
    while (h.length > 0 && Date.parse(h[0]!.time) < cutoff) {
      h.shift();
    }
    this.historyById.set(id, h);
    this.notify(id);
  }

  /** Forgets a listener (deleted). */
  forget(id: string): void {
    this.latestById.delete(id);
    this.historyById.delete(id);
  }

  /** Follows one listener's stats topic; counted, so several watchers share one subscription. */
  watch(id: string, live: LiveSource): () => void {
    const w = this.watchers.get(id);
    if (w !== undefined) {
      w.count++;
    } else {
      const off = live.subscribe<StatsMessage>(statsTopic(id), (m) => this.apply(m));
      this.watchers.set(id, { count: 1, off });
    }
    let done = false;
    return () => {
      if (done) {
        return;
      }
      done = true;
      const x = this.watchers.get(id);
      if (x !== undefined && --x.count === 0) {
        x.off();
        this.watchers.delete(id);
      }
    };
  }

  watching(): string[] {
    return [...this.watchers.keys()];
  }
}

export function statsTopic(id: string): string {
  return `/topic/listeners/${id}/stats`;
}

export function trafficTopic(id: string): string {
  return `/topic/listeners/${id}/traffic`;
}

// --- traffic ---

/** A bounded ring addressed by a running index: item i stays readable until capacity newer ones came. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private count = 0;
  /** Items ever pushed; the next push gets this index. */
  total = 0;

  constructor(readonly capacity: number) {
    if (capacity < 1) {
      throw new Error('a ring holds at least one item');
    }
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.total % this.capacity] = item;
    this.total++;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** The index of the oldest item held. */
  get first(): number {
    return this.total - this.count;
  }

  get size(): number {
    return this.count;
  }

  /** The item at a running index, if still held. */
  at(index: number): T | undefined {
    if (index < this.first || index >= this.total) {
      return undefined;
    }
    return this.items[index % this.capacity];
  }

  /** Items from a running index (or the oldest held) to the newest. */
  since(index: number): T[] {
    const out: T[] = [];
    for (let i = Math.max(index, this.first); i < this.total; i++) {
      out.push(this.items[i % this.capacity] as T);
    }
    return out;
  }
}

/** An entry of the traffic store: an event, or a marker where events were skipped. */
export type TrafficItem =
  | { kind: 'event'; event: TrafficEventView }
  | { kind: 'dropped'; count: number; after: number }
  | { kind: 'reset' };

/** A traffic history to page through: a listener's, or a client session's. */
export interface TrafficSource {
  traffic(id: string, after: number, limit: number): Promise<TrafficPageBase>;
}

export interface TrafficOptions {
  /** Items kept (events and markers). */
  capacity: number;
  /** Newest events loaded over REST at the start, and at most per gap. */
  history: number;
  /** Events per REST page (the API allows 1 to 1000). */
  pageSize: number;
}

export const TRAFFIC_DEFAULTS: TrafficOptions = { capacity: 5000, history: 2000, pageSize: 1000 };

/**
 * One listener's traffic: the newest events loaded over REST, then the live batches of
 * /topic/listeners/{id}/traffic applied by sequence number. Every sequence number is accounted
 * for once: an event already seen is ignored; events a batch says were dropped become a
 * "dropped N" marker; a batch that starts after a gap its `dropped` does not explain (a
 * reconnect, a second page) has the gap fetched over REST first. Work is done one step at a
 * time in arrival order, so events are kept in sequence order. Keeps a bounded ring.
 */
export class TrafficStore extends Emitter<void> {
  readonly ring: Ring<TrafficItem>;
  /** The highest sequence number accounted for (seen, or counted as dropped); null before the first load. */
  cursor: number | null = null;
  /** Events skipped, in all (shown as markers). */
  dropped = 0;
  /** Events received, in all. */
  received = 0;
  /** The first sequence number the history started from. */
  historyFrom = 0;
  /** Why the history or a gap could not be loaded, if it could not. */
  error: string | null = null;
  loaded = false;
  /** Connection ids seen, in order of appearance. */
  readonly connections = new Set<string>();
  /** Decodes live payloads as text: set to the listener's charset once it is known. */
  decoder: TextDecoder = textDecoder('utf-8');

  private chain: Promise<void> = Promise.resolve();
  private readonly options: TrafficOptions;

  constructor(
    readonly id: string,
    private readonly source: TrafficSource,
    options: Partial<TrafficOptions> = {},
  ) {
    super();
    this.options = { ...TRAFFIC_DEFAULTS, ...options };
    this.ring = new Ring(this.options.capacity);
  }

  /** Resolves once everything queued so far is applied (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  /** Loads the newest `history` events over REST; live batches that come meanwhile wait. */
  load(): Promise<void> {
    return this.enqueue(async () => {
      try {
        const probe = await this.source.traffic(this.id, 0, 1);
        const from = Math.max(0, probe.last - this.options.history);
        this.historyFrom = from + 1;
        this.cursor = from;
        await this.fill(probe.last);
        this.error = null;
      } catch (e) {
        this.error = `the history could not be loaded: ${message(e)}`;
        this.cursor = null;
      }
      this.loaded = true;
    });
  }

  /** A /topic/listeners/{id}/traffic message. */
  apply(batch: TrafficBatchMessage): Promise<void> {
    return this.enqueue(() => this.applyNow(batch));
  }

  /** The listener was made again under the same name: its sequence numbers start over at 1. */
  reset(): Promise<void> {
    return this.enqueue(async () => {
      this.ring.push({ kind: 'reset' });
      this.cursor = 0;
    });
  }

  /**
   * After a reconnect: when the server's log is behind what we hold, the server was restarted
   * (its sequence numbers start over), so start over too. A mere gap is left to the next batch.
   */
  resync(): Promise<void> {
    return this.enqueue(async () => {
      if (this.cursor === null) {
        return;
      }
      const probe = await this.source.traffic(this.id, 0, 1);
      if (probe.last < this.cursor) {
        this.ring.push({ kind: 'reset' });
        this.cursor = Math.max(0, probe.last - this.options.history);
        await this.fill(probe.last);
      }
    });
  }

  /** Follows the traffic topic (subscribed before the history loads, so nothing falls between). */
  connect(live: LiveSource): () => void {
    const off = live.subscribe<LiveTrafficBatch>(trafficTopic(this.id), (b) =>
      void this.apply(expandLiveBatch(b, this.decoder)),
    );
    const offConnect = live.onConnect((reconnect) => {
      if (reconnect) void this.resync();
    });
    void this.load();
    return () => {
      off();
      offConnect();
    };
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain
      .then(step)
      .catch((e: unknown) => {
        this.error = message(e);
      })
      .then(() => this.notify());
    return this.chain;
  }

  private async applyNow(batch: TrafficBatchMessage): Promise<void> {
    const n = batch.events.length;
    const previous = batch.next - batch.dropped - n;
    if (this.cursor === null) {
      // no history: this batch is where we start
      this.cursor = previous + batch.dropped;
    }
    if (previous > this.cursor) {
      await this.fill(previous);
    }
    // after the fill the cursor is at `previous` at least: what it skipped is counted once
    const droppedTo = previous + batch.dropped;
    if (droppedTo > this.cursor) {
      this.markDropped(this.cursor, droppedTo - this.cursor);
      this.cursor = droppedTo;
    }
    for (const e of batch.events) {
      this.add(e);
    }
    this.cursor = Math.max(this.cursor, batch.next);
  }

  /** Fetches (cursor, target] over REST, at most `history` events; the rest counts as dropped. */
  private async fill(target: number): Promise<void> {
    let cursor = this.cursor ?? 0;
    if (target - cursor > this.options.history) {
      this.markDropped(cursor, target - this.options.history - cursor);
      cursor = target - this.options.history;
      this.cursor = cursor;
    }
    while (cursor < target) {
      const before = cursor;
      let page: TrafficPageBase;
      try {
        page = await this.source.traffic(this.id, cursor, Math.min(this.options.pageSize, target - cursor));
      } catch (e) {
        this.error = `missing events could not be loaded: ${message(e)}`;
        this.markDropped(cursor, target - cursor);
        this.cursor = target;
        return;
      }
      for (const e of page.events) {
        this.add(e);
      }
      cursor = Math.max(this.cursor ?? before, page.next);
      if (page.events.length === 0 || cursor <= before) {
        // the log no longer has them
        if (target > cursor) {
          this.markDropped(cursor, target - cursor);
        }
        this.cursor = Math.max(cursor, target);
        return;
      }
      this.cursor = cursor;
    }
  }

  private add(e: TrafficEventView): void {
    const cursor = this.cursor ?? e.seq - 1;
    if (e.seq <= cursor) {
      return; // seen already
    }
    if (e.seq > cursor + 1) {
      this.markDropped(cursor, e.seq - cursor - 1);
    }
    this.ring.push({ kind: 'event', event: e });
    this.received++;
    this.cursor = e.seq;
    if (e.connection !== null) {
      this.connections.add(e.connection);
    }
  }

  private markDropped(after: number, count: number): void {
    if (count <= 0) {
      return;
    }
    this.dropped += count;
    this.ring.push({ kind: 'dropped', count, after });
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function reportError(e: unknown): void {
  if (typeof globalThis.reportError === 'function') {
    globalThis.reportError(e);
  } else {
    console.error(e);
  }
}
