// A client session's live traffic over Server-Sent Events, fed into a TrafficStore: the history
// is loaded over REST first, then the stream is opened just after it, so nothing is lost or
// shown twice. Listeners use STOMP instead (live.ts); sessions only have the SSE stream.

import type { TrafficEventView } from './api';
import { Store, type TrafficStore } from './stores';

export type StreamState = 'idle' | 'connecting' | 'live' | 'retrying' | 'ended';

/** The part of the browser's EventSource used here (tests pass a fake). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (e: MessageEvent<string>) => void): void;
  close(): void;
}

export interface StreamOptions {
  /** Opens a stream: the browser's EventSource. */
  open: (url: string) => EventSourceLike;
  /**
   * Runs the flush of received events later. The server writes up to 500 events at once and
   * EventSource hands them over one by one; applying them as one batch costs one store step.
   */
  schedule: (flush: () => void) => void;
  /** Runs a reconnect after a delay; returns a cancel function. */
  delay: (run: () => void, ms: number) => () => void;
}

export const STREAM_DEFAULTS: StreamOptions = {
  open: (url) => new EventSource(url),
  schedule: (flush) => {
    setTimeout(flush, 30);
  },
  delay: (run, ms) => {
    const t = setTimeout(run, ms);
    return () => clearTimeout(t);
  },
};

/** 0.5 s, 1 s, 2 s ... up to 10 s between attempts, as the STOMP client does. */
export function retryDelay(attempt: number): number {
  return Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));
}

function parse<T>(data: string): T | null {
  try {
    return JSON.parse(data) as T;
  } catch {
    return null;
  }
}

/**
 * Follows one session's /traffic/stream into its TrafficStore. Every `traffic` event is applied
 * in sequence order; `dropped` (the stream fell behind and skipped ahead) becomes the batch's
 * dropped count, so the store shows a marker; `end` (the session was deleted) closes the stream
 * for good. Any other loss closes the EventSource and reopens it after the last event received,
 * with back-off: the browser's own retry would replay from the first URL's `after`.
 */
export class SessionTrafficStream {
  readonly state = new Store<StreamState>('idle');
  /** Why the stream ended, once it has (the `end` event's reason). */
  endReason: string | null = null;

  private readonly options: StreamOptions;
  private source: EventSourceLike | null = null;
  /** The newest sequence number received: where a reconnect picks up. */
  private lastSeq: number | null = null;
  private buffer: TrafficEventView[] = [];
  private pendingDropped = 0;
  private flushScheduled = false;
  private attempts = 0;
  private cancelRetry: (() => void) | null = null;
  private stopped = false;

  constructor(
    readonly store: TrafficStore,
    /** The stream's URL for a cursor (null: from what comes next). */
    private readonly url: (after: number | null) => string,
    options: Partial<StreamOptions> = {},
  ) {
    this.options = { ...STREAM_DEFAULTS, ...options };
  }

  /** Loads the history, then opens the stream after it. */
  async start(): Promise<void> {
    this.state.set('connecting');
    await this.store.load();
    if (this.stopped) return;
    this.lastSeq = this.store.cursor;
    this.connect();
  }

  /**
   * Ends the stream for good, as its `end` event does: also for a session found gone while the
   * stream was down (deleted elsewhere), which no reconnect would ever reach again.
   */
  end(reason: string): void {
    this.flush();
    this.endReason = reason;
    this.halt();
    this.state.set('ended');
  }

  /** Closes the stream for good (another session selected, page left). */
  stop(): void {
    this.halt();
    if (this.state.get() !== 'ended') this.state.set('idle');
  }

  private halt(): void {
    this.stopped = true;
    this.close();
    this.cancelRetry?.();
    this.cancelRetry = null;
  }

  private connect(): void {
    this.cancelRetry = null;
    if (this.stopped) return;
    this.state.set(this.attempts === 0 ? 'connecting' : 'retrying');
    const source = this.options.open(this.url(this.lastSeq));
    this.source = source;
    // events of a source already replaced are ignored
    const mine = (fn: (e: MessageEvent<string>) => void) => (e: MessageEvent<string>) => {
      if (this.source === source) fn(e);
    };
    source.addEventListener('open', mine(() => {
      this.attempts = 0;
      this.state.set('live');
    }));
    source.addEventListener('traffic', mine((e) => this.received(e.data)));
    source.addEventListener('dropped', mine((e) => {
      this.flush();
      const d = parse<{ dropped?: unknown }>(e.data);
      if (typeof d?.dropped === 'number' && d.dropped > 0) this.pendingDropped += d.dropped;
    }));
    source.addEventListener('end', mine((e) => {
      const d = parse<{ reason?: unknown }>(e.data);
      this.end(typeof d?.reason === 'string' ? d.reason : 'the stream ended');
    }));
    source.addEventListener('error', mine(() => {
      this.flush();
      this.close();
      this.attempts++;
      this.state.set('retrying');
      this.cancelRetry = this.options.delay(() => this.connect(), retryDelay(this.attempts));
    }));
  }

  private close(): void {
    const s = this.source;
    this.source = null;
    s?.close();
  }

  private received(data: string): void {
    const e = parse<TrafficEventView>(data);
    if (e === null || typeof e.seq !== 'number') return;
    if (this.lastSeq !== null && e.seq <= this.lastSeq) return; // replayed: the store has it
    this.lastSeq = e.seq;
    this.buffer.push(e);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.options.schedule(() => this.flush());
    }
  }

  /** Applies what was received as one batch, with the events skipped just before it. */
  private flush(): void {
    this.flushScheduled = false;
    const events = this.buffer;
    if (events.length === 0) return;
    this.buffer = [];
    const dropped = this.pendingDropped;
    this.pendingDropped = 0;
    void this.store.apply({ listener: this.store.id, events, dropped, next: events[events.length - 1]!.seq });
  }
}

const LABELS: Record<StreamState, string> = {
  idle: 'no session selected',
  connecting: 'connecting…',
  live: 'live',
  retrying: 'disconnected, retrying…',
  ended: 'stream ended',
};

/** The stream's state in the header's #live-status, with the banner's classes (live.ts's bindStatus). */
export function renderStreamStatus(el: HTMLElement, state: StreamState, session: string | null): void {
  el.textContent = LABELS[state];
  el.dataset['state'] = state;
  const look = state === 'live' ? 'connected' : state === 'retrying' ? 'disconnected-retrying' : state === 'connecting' ? 'connecting' : 'idle';
  el.className = `live-status live-${look}`;
  el.title =
    state === 'live'
      ? `Live traffic of ${session ?? 'the session'} (Server-Sent Events)`
      : state === 'retrying'
        ? 'The traffic stream is down; retrying with back-off (up to every 10 s). What you see may be stale.'
        : state === 'ended'
          ? 'The session was deleted: its traffic stream ended'
          : state === 'connecting'
            ? 'Loading the history and opening the traffic stream'
            : 'Select a session to follow its traffic';
}
