import { describe, expect, test } from 'vitest';
import type { IMessage, StompSubscription } from '@stomp/stompjs';
import { brokerUrl, Live, type StompLike } from './live';

/** Stands in for @stomp/stompjs's Client: the test connects and drops it. */
class FakeClient {
  connected = false;
  activated = 0;
  subscriptions: { destination: string; callback: (m: IMessage) => void; headers: Record<string, string>; active: boolean }[] = [];
  published: { destination: string; body: string; headers: Record<string, string> }[] = [];
  onConnect: (frame: unknown) => void = () => {};
  onWebSocketClose: (event: unknown) => void = () => {};
  onStompError: (frame: unknown) => void = () => {};

  activate(): void {
    this.activated++;
  }
  async deactivate(): Promise<void> {
    this.connected = false;
  }
  subscribe(destination: string, callback: (m: IMessage) => void, headers: Record<string, string> = {}): StompSubscription {
    const s = { destination, callback, headers, active: true };
    this.subscriptions.push(s);
    return { id: String(this.subscriptions.length), unsubscribe: () => (s.active = false) };
  }

  publish(p: { destination: string; body: string; headers: Record<string, string> }): void {
    if (!this.connected) throw new Error('There is no underlying STOMP connection');
    this.published.push(p);
  }

  up(): void {
    this.connected = true;
    this.onConnect({});
  }
  down(): void {
    this.connected = false;
    for (const s of this.subscriptions) s.active = false;
    this.onWebSocketClose({});
  }
  deliver(destination: string, body: string): void {
    for (const s of this.subscriptions) {
      if (s.active && s.destination === destination) s.callback({ body } as IMessage);
    }
  }
  active(): string[] {
    return this.subscriptions.filter((s) => s.active).map((s) => s.destination);
  }
}

function live(): { l: Live; client: FakeClient } {
  const client = new FakeClient();
  const l = new Live(() => client as unknown as StompLike);
  return { l, client };
}

describe('Live', () => {
  test('the broker URL follows the page: ws on http, wss on https', () => {
    expect(brokerUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/ws');
    expect(brokerUrl({ protocol: 'https:', host: 'deck.example' })).toBe('wss://deck.example/ws');
  });

  test('states: connecting, connected, disconnected-retrying, connected again', () => {
    const { l, client } = live();
    const seen: string[] = [];
    l.state.subscribe((s) => seen.push(s));
    l.start();
    l.start();
    expect(client.activated).toBe(1);
    expect(l.state.get()).toBe('connecting');
    client.up();
    client.down();
    client.up();
    expect(seen).toEqual(['connected', 'disconnected-retrying', 'connected']);
  });

  test('subscriptions made before connecting start with the connection and come back after a reconnect', () => {
    const { l, client } = live();
    const got: unknown[] = [];
    l.subscribe('/topic/listeners', (b) => got.push(b));
    l.start();
    expect(client.active()).toEqual([]);
    client.up();
    expect(client.active()).toEqual(['/topic/listeners']);
    client.deliver('/topic/listeners', '{"kind":"created"}');
    client.down();
    client.up();
    expect(client.active()).toEqual(['/topic/listeners']);
    client.deliver('/topic/listeners', '{"kind":"deleted"}');
    expect(got).toEqual([{ kind: 'created' }, { kind: 'deleted' }]);
  });

  test('onConnect tells a first connection from a reconnect', () => {
    const { l, client } = live();
    const calls: boolean[] = [];
    l.onConnect((re) => calls.push(re));
    l.start();
    client.up();
    client.down();
    client.up();
    expect(calls).toEqual([false, true]);
  });

  test('unsubscribing ends the STOMP subscription and keeps it from coming back', () => {
    const { l, client } = live();
    l.start();
    client.up();
    const off = l.subscribe('/topic/listeners/a/stats', () => {});
    expect(client.active()).toEqual(['/topic/listeners/a/stats']);
    off();
    expect(client.active()).toEqual([]);
    client.down();
    client.up();
    expect(client.active()).toEqual([]);
    expect(l.topics()).toEqual([]);
  });

  test('a body that is not JSON is skipped', () => {
    const { l, client } = live();
    const got: unknown[] = [];
    l.subscribe('/topic/x', (b) => got.push(b));
    l.start();
    client.up();
    client.deliver('/topic/x', 'not json');
    client.deliver('/topic/x', '[1]');
    expect(got).toEqual([[1]]);
  });

  test('a subscription keeps its headers: on the first SUBSCRIBE and after every reconnect', () => {
    const { l, client } = live();
    l.subscribe('/topic/chat/lobby', () => {}, { member: 'tok-1' });
    l.start();
    client.up();
    const watch = l.subscribe('/topic/chat/other', () => {});
    expect(client.subscriptions.map((s) => [s.destination, s.headers])).toEqual([
      ['/topic/chat/lobby', { member: 'tok-1' }],
      ['/topic/chat/other', {}],
    ]);
    watch();
    client.down();
    client.up();
    const again = client.subscriptions.filter((s) => s.active);
    expect(again.map((s) => [s.destination, s.headers])).toEqual([['/topic/chat/lobby', { member: 'tok-1' }]]);
  });

  test('the headers given are copied: changing the caller\'s object later changes nothing', () => {
    const { l, client } = live();
    const headers: Record<string, string> = { member: 'a' };
    l.subscribe('/topic/chat/lobby', () => {}, headers);
    headers['member'] = 'b';
    l.start();
    client.up();
    expect(client.subscriptions[0]!.headers).toEqual({ member: 'a' });
  });

  test('publish sends JSON while connected and says false (sending nothing) while not', () => {
    const { l, client } = live();
    expect(l.publish('/app/chat/lobby', { text: 'early' })).toBe(false);
    l.start();
    expect(l.isConnected()).toBe(false);
    expect(l.publish('/app/chat/lobby', { text: 'still early' })).toBe(false);
    client.up();
    expect(l.isConnected()).toBe(true);
    expect(l.publish('/app/chat/lobby', { nick: 'alice', text: 'hi' })).toBe(true);
    client.down();
    expect(l.publish('/app/chat/lobby', { text: 'lost' })).toBe(false);
    expect(client.published).toEqual([
      { destination: '/app/chat/lobby', body: '{"nick":"alice","text":"hi"}', headers: { 'content-type': 'application/json' } },
    ]);
  });
});
