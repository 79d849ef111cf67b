// The live channel: the one STOMP client of the page, its connection state as a store the
// pages show as a banner, subscriptions (with their SUBSCRIBE headers) that survive reconnects,
// and SEND to the application (/app/...).

import { Client, ReconnectionTimeMode, type IMessage, type StompSubscription } from '@stomp/stompjs';
import { Store } from './stores';

export type LiveState = 'connecting' | 'connected' | 'disconnected-retrying';

/** The part of @stomp/stompjs's Client this module uses (tests pass a fake). */
export type StompLike = Pick<
  Client,
  'onConnect' | 'onWebSocketClose' | 'onStompError' | 'connected' | 'activate' | 'deactivate' | 'subscribe' | 'publish'
>;

/** What stores need from the live channel. */
export interface LiveSource {
  /**
   * Calls the handler with each message's JSON body, across reconnects, until the returned
   * function is called. `headers` go with every SUBSCRIBE frame, the first and those after a
   * reconnect (a chat membership token, for one).
   */
  subscribe<T>(topic: string, handler: (body: T) => void, headers?: Record<string, string>): () => void;
  /** Calls back after every (re)connection, once subscriptions are back: time to catch up over REST. */
  onConnect(callback: (reconnect: boolean) => void): () => void;
}

/** What a page that also sends over STOMP needs. */
export interface LiveChannel extends LiveSource {
  /** Whether a STOMP connection is up now (a publish can go out). */
  isConnected(): boolean;
  /** SENDs a JSON body to a destination; false (and nothing sent) while disconnected. */
  publish(destination: string, body: unknown): boolean;
}

interface Subscription {
  topic: string;
  headers: Record<string, string>;
  deliver: (message: IMessage) => void;
  stomp: StompSubscription | null;
}

/** ws://host/ws on http, wss://host/ws on https. */
export function brokerUrl(loc: { protocol: string; host: string } = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

export function newStompClient(url: string = brokerUrl()): StompLike {
  return new Client({
    brokerURL: url,
    // 0.5 s, 1 s, 2 s ... up to 10 s between attempts; back to 0.5 s after a success
    reconnectDelay: 500,
    reconnectTimeMode: ReconnectionTimeMode.EXPONENTIAL,
    maxReconnectDelay: 10_000,
    connectionTimeout: 5_000,
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
    debug: () => {},
  });
}

export class Live implements LiveChannel {
  /** connecting until the first connection, connected, or disconnected-retrying after a loss. */
  readonly state = new Store<LiveState>('connecting');

  private readonly subs = new Set<Subscription>();
  private readonly connectCallbacks = new Set<(reconnect: boolean) => void>();
  private client: StompLike | null = null;
  private connections = 0;

  constructor(private readonly factory: () => StompLike = () => newStompClient()) {}

  /** Connects (once; later calls do nothing). */
  start(): void {
    if (this.client !== null) {
      return;
    }
    const c = this.factory();
    this.client = c;
    c.onConnect = () => {
      this.connections++;
      for (const s of this.subs) {
        s.stomp = c.subscribe(s.topic, s.deliver, { ...s.headers });
      }
      this.state.set('connected');
      for (const cb of [...this.connectCallbacks]) {
        cb(this.connections > 1);
      }
    };
    const lost = () => {
      for (const s of this.subs) {
        s.stomp = null;
      }
      this.state.set('disconnected-retrying');
    };
    c.onWebSocketClose = lost;
    c.onStompError = lost;
    c.activate();
  }

  /** Disconnects for good (tests, page unload). */
  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (c !== null) {
      await c.deactivate();
    }
  }

  subscribe<T>(topic: string, handler: (body: T) => void, headers: Record<string, string> = {}): () => void {
    const sub: Subscription = {
      topic,
      headers: { ...headers },
      deliver: (m) => {
        let body: T;
        try {
          body = JSON.parse(m.body) as T;
        } catch {
          return; // not ours to show: our topics carry JSON only
        }
        handler(body);
      },
      stomp: null,
    };
    this.subs.add(sub);
    const c = this.client;
    if (c !== null && c.connected) {
      sub.stomp = c.subscribe(topic, sub.deliver, { ...sub.headers });
    }
    return () => {
      if (!this.subs.delete(sub)) {
        return;
      }
      if (sub.stomp !== null && this.client !== null && this.client.connected) {
        try {
          sub.stomp.unsubscribe();
        } catch {
          // the connection went while we unsubscribed: nothing left to undo
        }
      }
      sub.stomp = null;
    };
  }

  isConnected(): boolean {
    return this.client !== null && this.client.connected;
  }

  publish(destination: string, body: unknown): boolean {
    const c = this.client;
    if (c === null || !c.connected) {
      return false;
    }
    try {
      c.publish({ destination, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return true;
    } catch {
      return false; // the connection went just now
    }
  }

  onConnect(callback: (reconnect: boolean) => void): () => void {
    this.connectCallbacks.add(callback);
    return () => {
      this.connectCallbacks.delete(callback);
    };
  }

  /** Topics subscribed now (for tests and debugging). */
  topics(): string[] {
    return [...this.subs].map((s) => s.topic);
  }
}

let shared: Live | null = null;

/** The page's one live channel, started on first use. */
export function live(): Live {
  if (shared === null) {
    shared = new Live();
    shared.start();
  }
  return shared;
}

const LABELS: Record<LiveState, string> = {
  connecting: 'connecting…',
  connected: 'live',
  'disconnected-retrying': 'disconnected, retrying…',
};

/** Shows the connection state in an element (the header's #live-status). */
export function bindStatus(el: HTMLElement, state: Store<LiveState>): () => void {
  const render = (s: LiveState) => {
    el.textContent = LABELS[s];
    el.dataset['state'] = s;
    el.className = `live-status live-${s}`;
    el.title =
      s === 'connected'
        ? 'Live updates are on (STOMP over WebSocket at /ws)'
        : s === 'connecting'
          ? 'Connecting to the live channel'
          : 'The live channel is down; retrying with back-off (up to every 10 s). What you see may be stale.';
  };
  render(state.get());
  return state.subscribe(render);
}
