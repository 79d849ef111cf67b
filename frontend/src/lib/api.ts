// The REST API, typed: one function per endpoint, errors as ApiError (from RFC 9457
// problem+json), and curlFor() for the "copy as curl" buttons.

import { base64ToBytes, bytesToHex } from './hexdump';

export type Protocol = 'tcp' | 'udp';
export type ListenerState = 'running' | 'stopped' | 'failed';
export type TrafficType = 'open' | 'close' | 'in' | 'out' | 'error' | 'info';

export interface Framing {
  type: string;
  lengthBytes: number;
  lineEnding: string;
  flushMillis: number;
}

export interface Limits {
  maxConnections: number;
  idleTimeoutMs: number;
  maxFrameBytes: number;
  outboundQueueBytes: number;
}

export interface ListenerStats {
  connections: number;
  connectionsTotal: number;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  errors: number;
  slowClientsClosed: number;
  trafficEvents: number;
  trafficDropped: number;
}

/** GET /api/listeners/{id}. */
export interface ListenerView {
  id: string;
  protocol: Protocol;
  host: string;
  port: number;
  boundPort: number | null;
  state: ListenerState;
  reason: string | null;
  since: string;
  behaviour: string;
  options: Record<string, string>;
  framing: Framing | null;
  charset: string;
  limits: Limits;
  autostart: boolean;
  declared: boolean;
  stats: ListenerStats;
}

/** POST /api/listeners: what the create form sends (the API fills in the rest). */
export interface ListenerSpec {
  name: string;
  protocol: Protocol;
  host?: string;
  port?: number;
  behaviour: string;
  options?: Record<string, string>;
  framing?: string;
  charset?: string;
  autostart?: boolean;
}

export interface ConnectionInfo {
  id: string;
  remote: string;
  openedAt: string;
  lastActivityAt: string;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  queuedBytes: number;
  /** The name the client gave (a desk client's "/nick Michael"); null or absent when none. */
  label?: string | null;
}

export interface TrafficEventView {
  seq: number;
  time: string;
  /** A listener's events name the listener; a client session's name the session instead. */
  listener?: string;
  session?: string;
  connection: string | null;
  type: TrafficType;
  size: number;
  text: string | null;
  hex: string | null;
  note: string | null;
}

/** A page of traffic history, a listener's or a session's: what the traffic store pages through. */
export interface TrafficPageBase {
  events: TrafficEventView[];
  /** The cursor for the next page: the last sequence number covered. */
  next: number;
  /** The newest sequence number in the log when the page was read. */
  last: number;
  /** Events after the cursor that the log had already dropped. */
  missed: number;
}

/** GET /api/listeners/{id}/traffic?after=&limit=. */
export interface TrafficPage extends TrafficPageBase {
  listener: string;
}

export interface Behaviour {
  name: string;
  description: string;
  tcp: boolean;
  udp: boolean;
  defaultFraming: string;
  options: Record<string, string>;
}

/** {"text"} or {"hex"}, framed by the listener unless raw. */
export type SendBody = ({ text: string } | { hex: string }) & { raw?: boolean };

export interface SendResult {
  connections: number;
  bytes: number;
}

// --- clients: outbound sessions, UDP, fetch ---

export type SessionState = 'open' | 'closed' | 'failed';

/** GET /api/sessions/{id}: a TCP connection SocketDeck opened as a client. */
export interface SessionView {
  id: string;
  host: string;
  port: number;
  framing: string;
  charset: string;
  state: SessionState;
  localAddress: string | null;
  remoteAddress: string | null;
  openedAt: string;
  closedAt: string | null;
  /** Why it closed or failed; null while open. */
  reason: string | null;
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
}

/** POST /api/sessions: fields left out take the API's defaults (line framing, UTF-8, 5 s). */
export interface SessionSpec {
  host: string;
  port: number | string;
  framing?: string;
  charset?: string;
  connectTimeoutMs?: number | string;
}

/** GET /api/sessions/{id}/traffic?after=&limit=. */
export interface SessionTrafficPage extends TrafficPageBase {
  session: string;
}

/** POST /api/udp/send: {"text"} or {"hex"}; numbers left out take the API's defaults. */
export type UdpSendRequest = ({ text: string } | { hex: string }) & {
  host: string;
  port: number | string;
  localPort?: number | string;
  waitMs?: number | string;
  count?: number | string;
  intervalMs?: number | string;
  charset?: string;
};

export interface UdpReply {
  from: string;
  time: string;
  /** Milliseconds after the first datagram went out. */
  afterMs: number;
  size: number;
  text: string | null;
  hex: string | null;
}

export interface UdpSendResult {
  localAddress: string;
  remoteAddress: string;
  /** Datagrams sent. */
  sent: number;
  sentBytes: number;
  replies: UdpReply[];
  /** What went wrong without failing the request (an ICMP port unreachable); null when nothing did. */
  note: string | null;
}

/** POST /api/fetch: an HTTP request over a raw socket. */
export interface FetchRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  insecure?: boolean;
  timeoutMs?: number | string;
}

export interface Payload {
  size: number;
  text: string | null;
  hex: string | null;
}

export interface FetchResult {
  id: string;
  url: string;
  method: string;
  remoteAddress: string;
  tls: { protocol: string; cipherSuite: string; peer: string | null; verified: boolean } | null;
  /** The request's bytes exactly as sent. */
  request: Payload;
  status: { line: string; version: string; code: number; reason: string };
  /** The response's status line and headers as received, CRLFs and all. */
  headerBlock: string;
  headers: { name: string; value: string }[];
  body: {
    size: number;
    contentType: string | null;
    transfer: string;
    binary: boolean;
    /** null when binary. */
    text: string | null;
    /** The first 4096 bytes. */
    hex: string | null;
    hexTruncated: boolean;
    /** Where the whole body can be downloaded (GET). */
    download: string | null;
  };
  timings: { connectMs: number | null; tlsMs: number | null; firstByteMs: number | null; totalMs: number | null };
}

// --- chat rooms ---

export type ChatVia = 'tcp' | 'web' | 'api';

export interface ChatMember {
  nick: string;
  via: ChatVia | string;
}

/** GET /api/rooms/{room}. */
export interface RoomView {
  name: string;
  listener: string;
  members: ChatMember[];
  /** The newest event's sequence number (0 when none yet). */
  lastSeq: number;
}

export type ChatEventType = 'message' | 'join' | 'leave' | 'notice';

/**
 * On /topic/chat/{room} only: events up to `seq` were held back from the live topic (a flood)
 * and are in the history; read them from there.
 */
export interface ChatGap {
  type: 'gap';
  room: string;
  seq: number;
  skipped: number;
}

/** A room's event: REST history and /topic/chat/{room} alike. */
export interface ChatEvent {
  seq: number;
  time: string;
  room: string;
  type: ChatEventType;
  /** null for notices. */
  nick: string | null;
  /** The message; for join, leave and notice a human sentence. */
  text: string;
  via: ChatVia | string | null;
  /** Only on join and leave: who is present after it. */
  members?: ChatMember[] | null;
}

/** GET /api/rooms/{room}/messages?after=&limit=. */
export interface ChatPage {
  room: string;
  /** Oldest first. */
  messages: ChatEvent[];
  next: number;
}

/** POST /api/rooms/{room}/messages. */
export interface ChatPost {
  nick: string;
  text: string;
  member?: string;
}

/** POST /api/rooms/{room}/members: 201. */
export interface ChatMembership {
  /** A secret: it speaks for the member (SUBSCRIBE header member:, SEND body, DELETE). */
  member: string;
  nick: string;
  room: string;
}

/** What /user/queue/errors sends when a STOMP SEND (or a SUBSCRIBE's member header) is refused. */
export interface ChatErrorMessage {
  detail: string;
  field?: string | null;
}

// --- live messages (STOMP) ---

export type ListenerEventKind = 'created' | 'started' | 'stopped' | 'failed' | 'deleted';

/** /topic/listeners */
export interface ListenerEventMessage {
  kind: ListenerEventKind;
  listener: ListenerView;
}

/** /topic/listeners/{id}/traffic */
export interface TrafficBatchMessage {
  listener: string;
  /** Oldest first, consecutive sequence numbers. */
  events: TrafficEventView[];
  /** Events skipped just before these. */
  dropped: number;
  /** The sequence number this batch covers up to. */
  next: number;
}

/** A traffic event as /topic/listeners/{id}/traffic sends it: lean, with the payload in base64. */
export interface LiveTrafficEvent {
  seq: number;
  /** Epoch milliseconds. */
  time: number;
  connection?: string;
  type: TrafficType;
  /** The payload in base64, for in and out events. */
  data?: string;
  note?: string;
}

/** A /topic/listeners/{id}/traffic message as it arrives. */
export interface LiveTrafficBatch {
  listener: string;
  events: LiveTrafficEvent[];
  dropped: number;
  next: number;
}

/** A live batch with its events made whole: text in the listener's charset and hex, as the REST history has them. */
export function expandLiveBatch(batch: LiveTrafficBatch, text: TextDecoder): TrafficBatchMessage {
  return {
    listener: batch.listener,
    dropped: batch.dropped,
    next: batch.next,
    events: batch.events.map((e) => {
      const bytes = e.data === undefined ? null : base64ToBytes(e.data);
      return {
        seq: e.seq,
        time: new Date(e.time).toISOString(),
        listener: batch.listener,
        connection: e.connection ?? null,
        type: e.type,
        size: bytes?.length ?? 0,
        text: bytes === null ? null : text.decode(bytes),
        hex: bytes === null ? null : bytesToHex(bytes),
        note: e.note ?? null,
      };
    }),
  };
}

/** A decoder for a listener's charset; UTF-8 when the browser does not know it. */
export function textDecoder(charset: string | undefined): TextDecoder {
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/** /topic/listeners/{id}/stats, once a second. */
export interface StatsMessage extends ListenerStats {
  listener: string;
  time: string;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  framesInPerSec: number;
  framesOutPerSec: number;
}

// --- errors ---

export interface FieldProblem {
  field: string;
  message: string;
}

/** An API error: the problem+json body, or what could be made of a response without one. */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly field: string | null;
  readonly errors: FieldProblem[];

  constructor(status: number, title: string, detail: string, field: string | null = null, errors: FieldProblem[] = []) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.field = field;
    this.errors = errors;
  }

  /** The message to show for one field, from `errors` or from `field`; null when none names it. */
  messageFor(field: string): string | null {
    const own = this.errors.filter((e) => e.field === field || e.field.startsWith(field + '.'));
    if (own.length > 0) {
      return own.map((e) => e.message).join('; ');
    }
    if (this.field !== null && (this.field === field || this.field.startsWith(field + '.'))) {
      return this.detail;
    }
    return null;
  }

  /** Every field the error names. */
  fields(): string[] {
    const all = this.errors.map((e) => e.field);
    if (this.field !== null) {
      all.push(this.field);
    }
    return [...new Set(all)];
  }
}

/** Any failure as an ApiError: network and other errors get status 0 and their message. */
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError(0, 'Error', e instanceof Error ? e.message : String(e));
}

/** A problem in one line: "409 Conflict: the detail", or the detail alone without a status. */
export function problemText(e: ApiError): string {
  return e.status > 0 ? `${e.status} ${e.title}: ${e.detail}` : e.detail;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

/** Makes an ApiError of an error response: problem+json when it is, else its text or status. */
export function parseProblem(status: number, statusText: string, contentType: string | null, body: string): ApiError {
  const looksJson = (contentType ?? '').includes('json') || body.trimStart().startsWith('{');
  if (looksJson) {
    try {
      const p: unknown = JSON.parse(body);
      if (isRecord(p)) {
        const errors: FieldProblem[] = Array.isArray(p['errors'])
          ? p['errors'].flatMap((e: unknown) => {
              if (!isRecord(e)) {
                return [];
              }
              const field = str(e['field']);
              const message = str(e['message']);
              return field !== null && message !== null ? [{ field, message }] : [];
            })
          : [];
        const title = str(p['title']) ?? (statusText || `HTTP ${status}`);
        const detail = str(p['detail']) ?? str(p['message']) ?? title;
        const st = typeof p['status'] === 'number' ? p['status'] : status;
        return new ApiError(st, title, detail, str(p['field']), errors);
      }
    } catch {
      // not JSON after all: fall through to the text
    }
  }
  const text = body.trim();
  const title = statusText || `HTTP ${status}`;
  return new ApiError(status, title, text.length > 0 && text.length <= 500 ? text : `${status} ${title}`.trim());
}

// --- requests ---

export type Method = 'GET' | 'POST' | 'DELETE';

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** A request that did not get an HTTP answer at all (server down, network gone). */
export function networkError(e: unknown): ApiError {
  const why = e instanceof Error ? e.message : String(e);
  return new ApiError(0, 'No answer', `the server did not answer (${why})`);
}

export class Api {
  constructor(
    private readonly fetchFn: Fetch = (input, init) => fetch(input, init),
    private readonly base = '',
  ) {}

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { Accept: 'application/json, application/problem+json' } };
    if (body !== undefined) {
      init.headers = { ...init.headers, 'Content-Type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await this.fetchFn(this.base + path, init);
    } catch (e) {
      throw networkError(e);
    }
    const text = await res.text();
    if (!res.ok) {
      throw parseProblem(res.status, res.statusText, res.headers.get('Content-Type'), text);
    }
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  listeners(): Promise<ListenerView[]> {
    return this.request('GET', '/api/listeners');
  }
  listener(id: string): Promise<ListenerView> {
    return this.request('GET', listenerPath(id));
  }
  create(spec: ListenerSpec): Promise<ListenerView> {
    return this.request('POST', '/api/listeners', spec);
  }
  start(id: string): Promise<ListenerView> {
    return this.request('POST', listenerPath(id, 'start'));
  }
  stop(id: string): Promise<ListenerView> {
    return this.request('POST', listenerPath(id, 'stop'));
  }
  remove(id: string): Promise<void> {
    return this.request('DELETE', listenerPath(id));
  }
  connections(id: string): Promise<ConnectionInfo[]> {
    return this.request('GET', listenerPath(id, 'connections'));
  }
  send(id: string, connection: string, body: SendBody): Promise<SendResult> {
    return this.request('POST', sendPath(id, connection), body);
  }
  broadcast(id: string, body: SendBody): Promise<SendResult> {
    return this.request('POST', sendPath(id, null), body);
  }
  kick(id: string, connection: string): Promise<void> {
    return this.request('DELETE', kickPath(id, connection));
  }
  traffic(id: string, after: number, limit: number): Promise<TrafficPage> {
    return this.request('GET', `${listenerPath(id, 'traffic')}?after=${after}&limit=${limit}`);
  }
  stats(id: string): Promise<ListenerStats> {
    return this.request('GET', listenerPath(id, 'stats'));
  }
  behaviours(): Promise<Behaviour[]> {
    return this.request('GET', '/api/behaviours');
  }

  sessions(): Promise<SessionView[]> {
    return this.request('GET', '/api/sessions');
  }
  session(id: string): Promise<SessionView> {
    return this.request('GET', sessionPath(id));
  }
  openSession(spec: SessionSpec): Promise<SessionView> {
    return this.request('POST', '/api/sessions', spec);
  }
  closeSession(id: string): Promise<void> {
    return this.request('DELETE', sessionPath(id));
  }
  sessionSend(id: string, body: SendBody): Promise<SendResult> {
    return this.request('POST', sessionPath(id, 'send'), body);
  }
  sessionTraffic(id: string, after: number, limit: number): Promise<SessionTrafficPage> {
    return this.request('GET', `${sessionPath(id, 'traffic')}?after=${after}&limit=${limit}`);
  }
  rooms(): Promise<RoomView[]> {
    return this.request('GET', '/api/rooms');
  }
  room(room: string): Promise<RoomView> {
    return this.request('GET', roomPath(room));
  }
  roomMessages(room: string, after: number, limit: number): Promise<ChatPage> {
    return this.request('GET', `${roomPath(room, 'messages')}?after=${after}&limit=${limit}`);
  }
  postMessage(room: string, body: ChatPost): Promise<ChatEvent> {
    return this.request('POST', roomPath(room, 'messages'), body);
  }
  joinRoom(room: string, nick: string): Promise<ChatMembership> {
    return this.request('POST', roomPath(room, 'members'), { nick });
  }
  leaveRoom(room: string, member: string): Promise<void> {
    return this.request('DELETE', roomPath(room, 'members', encodeURIComponent(member)));
  }

  udpSend(request: UdpSendRequest): Promise<UdpSendResult> {
    return this.request('POST', '/api/udp/send', request);
  }
  fetchHttp(request: FetchRequest): Promise<FetchResult> {
    return this.request('POST', '/api/fetch', request);
  }
}

export function listenerPath(id: string, ...rest: string[]): string {
  return ['/api/listeners', encodeURIComponent(id), ...rest].join('/');
}

/** Where a send goes: one connection, or every one (connection null). */
export function sendPath(id: string, connection: string | null): string {
  return connection === null
    ? listenerPath(id, 'broadcast')
    : listenerPath(id, 'connections', encodeURIComponent(connection), 'send');
}

export function kickPath(id: string, connection: string): string {
  return listenerPath(id, 'connections', encodeURIComponent(connection));
}

/** /api/rooms/{room}/...; the room name is encoded, the rest is taken as given. */
export function roomPath(room: string, ...rest: string[]): string {
  return ['/api/rooms', encodeURIComponent(room), ...rest].join('/');
}

export function sessionPath(id: string, ...rest: string[]): string {
  return ['/api/sessions', encodeURIComponent(id), ...rest].join('/');
}

/** A session's live traffic (SSE), from just after `after`; without it, from what comes next. */
export function sessionStreamPath(id: string, after: number | null): string {
  const path = sessionPath(id, 'traffic', 'stream');
  return after === null ? path : `${path}?after=${after}`;
}

// --- curl ---

/** Quotes a word for a POSIX shell: as is when it is plainly safe, else in single quotes. */
export function shellQuote(s: string): string {
  if (s.length > 0 && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) {
    return s;
  }
  return "'" + s.replace(/'/g, `'\\''`) + "'";
}

/** The page's origin, for curl lines that can be pasted as they are. */
function origin(): string {
  return typeof location !== 'undefined' && location.origin !== 'null' ? location.origin : 'http://127.0.0.1:8080';
}

/** The curl command line that follows a Server-Sent Events stream (-N: print events as they come). */
export function curlStream(path: string, base: string = origin()): string {
  return `curl -sN ${shellQuote(base + path)}`;
}

/** The curl command line equivalent to a request, shell-quoted, ready to paste. */
export function curlFor(method: Method, path: string, body?: unknown, base: string = origin()): string {
  const parts = ['curl', '-s'];
  if (method !== 'GET') {
    parts.push('-X', method);
  }
  parts.push(shellQuote(base + path));
  if (body !== undefined) {
    parts.push('-H', shellQuote('Content-Type: application/json'), '-d', shellQuote(JSON.stringify(body)));
  }
  return parts.join(' ');
}

/** The one Api the pages use. */
export const api = new Api();
