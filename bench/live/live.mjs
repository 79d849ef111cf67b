#!/usr/bin/env node
// Live-view benchmark for SocketDeck.
//
// N STOMP subscribers follow one listener's traffic topic (/topic/listeners/ID/traffic) while
// one TCP connection writes timestamped lines into that listener at a fixed rate. Every line
// becomes one `in` traffic event; each subscriber parses the timestamp back out of the event's
// text, so latency = receipt time - write time, measured per subscriber.
//
//   node bench/live/live.mjs --base http://127.0.0.1:APPPORT --listener ID [--tcp-port P]
//        [--subscribers 100] [--rate 10000] [--seconds 10] [--warmup 2] [--procs 2]
//        [--line-bytes 64] [--tail 1] [--ready-timeout 15] [--no-deflate] [--plain-client]
//
// The listener must exist already (TCP, behaviour `discard`, line framing); --tcp-port
// defaults to its boundPort. Prints ONE JSON line on stdout (exit 0), or a JSON line with
// "error" (exit 1). Diagnostics go to stderr. Everything stays on loopback and stops by itself.
//
// How it runs:
//   1. The parent forks K child processes; each connects its share of the subscribers and
//      subscribes. (Spring's simple broker sends no RECEIPT for SUBSCRIBE, so "subscribed" is
//      proven end to end instead: the parent connects the TCP generator and writes a probe line
//      every 100 ms until every subscriber has received at least one batch.)
//   2. The parent writes lines for warmup + seconds, paced by a 5 ms timer: each tick it writes
//      rate * elapsed - written lines in one burst, so the rate is exact on average. A line is
//      `<epoch ms with µs fraction> xxxx...\n`, --line-bytes long; the timestamp is
//      performance.timeOrigin + performance.now() when the burst is written.
//   3. Only lines written inside the measured window [start + warmup, start + warmup + seconds)
//      count, on both sides: `sent` in the parent, deliveries and latencies in the children.
//   4. After writing stops, the children wait up to --tail seconds for every subscriber to
//      have seen the last line written, report counts and a latency histogram, disconnect and
//      exit. The parent merges and prints.
//
// Client options: permessage-deflate is offered, as browsers do (--no-deflate to not offer it).
// By default the children parse STOMP frames faster than stompjs's byte-at-a-time parser and
// parse each distinct batch body once per process (see below); --plain-client makes every
// subscriber do exactly what a browser tab with stompjs does, at several times the client CPU.
//
// Child clocks are aligned to the parent's by an IPC ping-pong before the run, so latencies
// measured in a child are not skewed by per-process timeOrigin differences.

import { fork } from 'node:child_process';
import net from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { Client, Parser } from '@stomp/stompjs';
import WebSocket from 'ws';

/** Wall-clock time in ms with sub-ms resolution; comparable across processes (after offset). */
const clock = () => performance.timeOrigin + performance.now();

const log = (...args) => console.error(`[live ${process.pid}]`, ...args);

// ---------------------------------------------------------------------------------------------
// Latency histogram: 0.1 ms buckets up to 10 s, plus an overflow bucket; the max is exact.

const BUCKET_MS = 0.1;
const BUCKETS = 100_000;

class Histogram {
	constructor() {
		this.counts = new Float64Array(BUCKETS + 1);
		this.total = 0;
		this.max = 0;
	}

	record(ms) {
		const v = ms < 0 ? 0 : ms;
		const i = Math.min(Math.floor(v / BUCKET_MS), BUCKETS);
		this.counts[i]++;
		this.total++;
		if (v > this.max) this.max = v;
	}

	/** Non-empty buckets as [index, count] pairs, small enough for IPC. */
	toSparse() {
		const pairs = [];
		for (let i = 0; i <= BUCKETS; i++) if (this.counts[i] > 0) pairs.push([i, this.counts[i]]);
		return { pairs, total: this.total, max: this.max };
	}

	addSparse({ pairs, total, max }) {
		for (const [i, c] of pairs) this.counts[i] += c;
		this.total += total;
		if (max > this.max) this.max = max;
	}

	/** Upper edge of the bucket holding quantile q (the overflow bucket reports the max). */
	quantile(q) {
		if (this.total === 0) return null;
		const rank = Math.ceil(q * this.total);
		let seen = 0;
		for (let i = 0; i <= BUCKETS; i++) {
			seen += this.counts[i];
			if (seen >= rank) return i === BUCKETS ? this.max : Math.min((i + 1) * BUCKET_MS, this.max);
		}
		return this.max;
	}
}

// ---------------------------------------------------------------------------------------------
// Fast STOMP frame parsing. stompjs's Parser pushes every byte of a frame onto a JS array, which
// at 100+ KB per batch and hundreds of batches a second costs most of a core. This replaces its
// parseChunk with one that slices whole frames out of a chunk (indexOf on the bytes) and hands
// stompjs exactly the raw frames its own parser would; anything it cannot take whole (a frame
// split across chunks, a malformed one) goes to stompjs's byte-by-byte state machine as before.
// --plain-client keeps the stock parser.

const LF = 10;
const CR = 13;
const NUL = 0;
const COLON = 58;

function installFastStompParser() {
	const decoder = new TextDecoder();
	const text = (u8, from, to) => {
		const s = decoder.decode(u8.subarray(from, to));
		return s.includes('\r') ? s.replaceAll('\r', '') : s; // the stock parser ignores CR there
	};

	/** The raw frame starting at `start` and where it ends, or null when not all in `u8`. */
	const readFrame = (u8, start) => {
		let lf = u8.indexOf(LF, start);
		if (lf < 0) return null;
		const command = text(u8, start, lf);
		const headers = [];
		let pos = lf + 1;
		for (;;) {
			lf = u8.indexOf(LF, pos);
			if (lf < 0) return null;
			if (lf === pos || (lf === pos + 1 && u8[pos] === CR)) break; // blank line: headers end
			const colon = u8.indexOf(COLON, pos);
			if (colon < 0 || colon > lf) return null;
			headers.push([decoder.decode(u8.subarray(pos, colon)), text(u8, colon + 1, lf)]);
			pos = lf + 1;
		}
		pos = lf + 1;
		const length = headers.find((h) => h[0] === 'content-length');
		let bodyEnd;
		if (length) {
			bodyEnd = pos + parseInt(length[1], 10);
			if (!(bodyEnd < u8.length)) return null; // (NaN too) the body and the byte after it
		} else {
			bodyEnd = u8.indexOf(NUL, pos);
			if (bodyEnd < 0) return null;
		}
		// like the stock parser, the byte after a content-length body (the NUL) is skipped
		return { end: bodyEnd + 1, raw: { command, headers, binaryBody: u8.subarray(pos, bodyEnd) } };
	};

	const stockParseChunk = Parser.prototype.parseChunk;
	Parser.prototype.parseChunk = function (segment, appendMissingNULLonIncoming = false) {
		if (appendMissingNULLonIncoming) return stockParseChunk.call(this, segment, true);
		const u8 = typeof segment === 'string' ? this._encoder.encode(segment) : new Uint8Array(segment);
		let pos = 0;
		// only between frames: mid-frame, the stock state machine holds part of one already
		while (pos < u8.length && this._onByte === this._collectFrame) {
			const b = u8[pos];
			if (b === NUL || b === CR) {
				pos++;
			} else if (b === LF) {
				pos++;
				this.onIncomingPing();
			} else {
				const frame = readFrame(u8, pos);
				if (frame === null) break;
				pos = frame.end;
				try {
					this.onFrame(frame.raw);
				} catch (e) {
					console.error('Ignoring an exception thrown by a frame handler:', e);
				}
			}
		}
		for (; pos < u8.length; pos++) this._onByte(u8[pos]);
	};
}

// ---------------------------------------------------------------------------------------------
// Child process: a share of the subscribers.

async function child() {
	let config;
	let offset = 0; // this process's clock minus the parent's
	let window = null; // { from, to } in the parent's clock
	let stopping = false;
	const subs = [];
	const hist = new Histogram();
	// How late this process's event loop runs: the part of the latency that is the client's own.
	const loopDelay = monitorEventLoopDelay({ resolution: 10 });
	const cpu = { start: process.cpuUsage(), from: null, to: null };

	const send = (msg) => process.send(msg);
	const fail = (message) => {
		send({ type: 'error', message });
		setTimeout(() => process.exit(1), 100);
	};

	// A batch's JSON, parsed, with each event's write timestamp (NaN unless an `in` line). The
	// live topic sends payloads in base64 (`data`); the REST history's `text` is read too.
	const payload = (e) => (e.data !== undefined ? Buffer.from(e.data, 'base64').toString('latin1') : e.text);
	const digest = (batch) => {
		batch.ts = batch.events.map((e) => (e.type === 'in' ? parseFloat(payload(e)) : NaN));
		return batch;
	};
	// Every subscriber in this process receives the same batches, byte for byte: parse each
	// distinct body once, and let the others reuse it after a byte comparison (a memcmp). With
	// --plain-client every subscriber parses its own body, as a browser tab would.
	const recent = []; // [{ bytes: Buffer, batch }], newest first
	const decoder = new TextDecoder();
	const readBatch = (frame) => {
		if (config.plain) return digest(JSON.parse(frame.body));
		const u8 = frame.binaryBody;
		const bytes = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
		for (const r of recent) if (r.bytes.equals(bytes)) return r.batch;
		const batch = digest(JSON.parse(decoder.decode(u8)));
		recent.unshift({ bytes, batch });
		if (recent.length > 8) recent.pop();
		return batch;
	};

	// Never outlive the parent, nor the run.
	process.on('disconnect', () => process.exit(1));
	process.on('uncaughtException', (e) => fail(`unexpected: ${e.stack ?? e}`));

	function onBatch(s, frame) {
		const now = clock() - offset;
		const batch = readBatch(frame);
		s.messages++;
		if (!s.ready) {
			s.ready = true;
			if (subs.every((x) => x.ready)) send({ type: 'ready' });
		}
		// Every batch accounts for every sequence number it moved past.
		const events = batch.events;
		if (s.lastNext >= 0 && batch.next - batch.dropped - events.length !== s.lastNext) s.gaps++;
		s.lastNext = batch.next;
		if (window === null) return;

		const prevTs = s.lastTs; // the newest line this subscriber had seen before this batch
		let firstTs = NaN;
		for (let i = 0; i < events.length; i++) {
			const e = events[i];
			if (e.seq <= s.lastSeq) s.outOfOrder++;
			s.lastSeq = e.seq;
			if (e.type !== 'in') continue;
			const ts = batch.ts[i];
			if (!(ts > 0)) {
				s.badText++;
				continue;
			}
			if (Number.isNaN(firstTs)) firstTs = ts;
			if (ts > s.lastTs) s.lastTs = ts;
			if (ts < window.from || ts >= window.to) continue;
			s.delivered++;
			hist.record(now - ts);
			if (now < ts) s.negative++;
		}
		// The events skipped just before this batch were written between the previous batch's
		// newest line and this one's first: the share of that span inside the window counts
		// (the rate is steady). Without both ends, the batch's first line (or arrival) decides.
		if (batch.dropped > 0) {
			const inWindow = (t) => (t >= window.from && t < window.to ? 1 : 0);
			if (prevTs > 0 && firstTs > prevTs) {
				const overlap = Math.min(firstTs, window.to) - Math.max(prevTs, window.from);
				s.dropped += (batch.dropped * Math.max(0, overlap)) / (firstTs - prevTs);
			} else {
				s.dropped += batch.dropped * inWindow(Number.isNaN(firstTs) ? now : firstTs);
			}
		}
		if (now >= window.from && now < window.to) s.batches++;
	}

	// A subscriber lost before the load starts fails the run. Once it runs, the server may close
	// subscribers that fall behind (Spring terminates a session whose send buffer overflows):
	// that is a result, not a client failure, so it is counted and reported, and the run goes on.
	function lost(s, why) {
		if (stopping || s.closed) return;
		if (window === null) return fail(`subscriber ${s.index}: ${why}`);
		s.closed = why;
		s.closedAt = clock() - offset;
		log(`subscriber ${s.index} lost during the run: ${why}`);
	}

	function connect(index) {
		const s = {
			index,
			client: null,
			ready: false,
			messages: 0,
			batches: 0,
			delivered: 0,
			dropped: 0,
			gaps: 0,
			outOfOrder: 0,
			badText: 0,
			negative: 0,
			lastNext: -1,
			lastSeq: -1,
			lastTs: 0,
			closed: null,
			closedAt: null,
		};
		s.client = new Client({
			webSocketFactory: () =>
				new WebSocket(config.wsUrl, ['v12.stomp'], {
					origin: config.origin,
					perMessageDeflate: config.deflate,
				}),
			heartbeatIncoming: 0,
			heartbeatOutgoing: 0,
			reconnectDelay: 0,
			connectionTimeout: config.readyTimeoutMs,
			debug: () => {},
			onConnect: () => {
				s.client.subscribe(config.topic, (frame) => onBatch(s, frame));
				s.subscribed = true;
				if (subs.every((x) => x.subscribed)) send({ type: 'subscribed' });
			},
			onStompError: (frame) => lost(s, `STOMP ERROR ${frame.headers.message ?? ''} ${frame.body}`),
			onWebSocketError: (e) => lost(s, `WebSocket error ${e?.message ?? e?.error?.message ?? ''}`),
			onWebSocketClose: (e) => lost(s, `WebSocket closed (${e.code} ${e.reason ?? ''})`),
		});
		subs.push(s);
		return s;
	}

	async function finish(lastTs, tailMs) {
		log(`stop: ${subs.reduce((a, x) => a + x.messages, 0)} batches received so far, event-loop delay max ${(loopDelay.max / 1e6).toFixed(1)} ms`);
		const deadline = clock() - offset + tailMs;
		while (clock() - offset < deadline && !subs.every((s) => s.closed || s.lastTs >= lastTs)) {
			await new Promise((r) => setTimeout(r, 10));
		}
		stopping = true;
		const tailCaughtUp = subs.filter((s) => s.lastTs >= lastTs).length;
		send({
			type: 'result',
			subs: subs.map(({ client, ...rest }) => rest),
			hist: hist.toSparse(),
			tailCaughtUp,
			loopDelayMs: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
			cpu: {
				totalUs: total(process.cpuUsage(cpu.start)),
				windowUs: cpu.from && cpu.to ? total(cpu.to) - total(cpu.from) : null,
			},
		});
		await Promise.race([
			Promise.all(subs.map((s) => s.client.deactivate().catch(() => {}))),
			new Promise((r) => setTimeout(r, 2000)),
		]);
		process.exit(0);
	}

	process.on('message', (msg) => {
		switch (msg.cmd) {
			case 'start':
				config = msg.config;
				if (!config.plain) installFastStompParser();
				setTimeout(() => fail('child hard timeout'), config.hardTimeoutMs).unref();
				for (let i = 0; i < config.count; i++) connect(config.firstIndex + i).client.activate();
				break;
			case 'ping':
				send({ type: 'pong', id: msg.id, t: clock() });
				break;
			case 'offset':
				offset = msg.offset;
				break;
			case 'window': {
				window = { from: msg.from, to: msg.to };
				loopDelay.enable();
				// CPU snapshots at the window's edges (timers on this process's clock).
				const now = clock() - offset;
				setTimeout(() => (cpu.from = process.cpuUsage()), Math.max(0, msg.from - now));
				setTimeout(() => (cpu.to = process.cpuUsage()), Math.max(0, msg.to - now));
				break;
			}
			case 'stop':
				finish(msg.lastTs, msg.tailMs);
				break;
		}
	});
	send({ type: 'started' });
}

const total = (u) => u.user + u.system;

// ---------------------------------------------------------------------------------------------
// Parent: options, children, the load generator, the report.

function options() {
	const { values } = parseArgs({
		options: {
			base: { type: 'string' },
			listener: { type: 'string' },
			'tcp-port': { type: 'string' },
			subscribers: { type: 'string', default: '100' },
			rate: { type: 'string', default: '10000' },
			seconds: { type: 'string', default: '10' },
			warmup: { type: 'string', default: '2' },
			procs: { type: 'string', default: '2' },
			'line-bytes': { type: 'string', default: '64' },
			tail: { type: 'string', default: '1' },
			'ready-timeout': { type: 'string', default: '15' },
			'no-deflate': { type: 'boolean', default: false },
			'plain-client': { type: 'boolean', default: false },
		},
		strict: true,
	});
	const num = (name, min, { int = true } = {}) => {
		const v = Number(values[name]);
		if (!Number.isFinite(v) || v < min || (int && !Number.isInteger(v))) {
			throw new Error(`--${name} must be ${int ? 'an integer' : 'a number'} >= ${min}, got ${values[name]}`);
		}
		return v;
	};
	if (!values.base) throw new Error('--base is required (e.g. http://127.0.0.1:8080)');
	if (!values.listener) throw new Error('--listener is required');
	const base = new URL(values.base);
	if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
		throw new Error(`--base must be a loopback address, got ${base.hostname}`);
	}
	return {
		base,
		listener: values.listener,
		tcpPort: values['tcp-port'] === undefined ? null : num('tcp-port', 1),
		subscribers: num('subscribers', 1),
		rate: num('rate', 1, { int: false }),
		seconds: num('seconds', 0.1, { int: false }),
		warmup: num('warmup', 0, { int: false }),
		procs: num('procs', 1),
		lineBytes: num('line-bytes', 24),
		tail: num('tail', 0, { int: false }),
		readyTimeout: num('ready-timeout', 1, { int: false }),
		deflate: !values['no-deflate'],
		plain: values['plain-client'],
	};
}

const median = (xs) => {
	if (xs.length === 0) return null;
	const s = [...xs].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x, digits = 2) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

async function parent() {
	let opts;
	try {
		opts = options();
	} catch (e) {
		console.log(JSON.stringify({ error: e.message }));
		process.exit(1);
	}

	const children = [];
	let socket = null;
	let writer = null;
	let done = false;

	const cleanup = () => {
		if (writer) clearInterval(writer);
		if (socket) socket.destroy();
		for (const c of children) if (c.proc.exitCode === null) c.proc.kill();
	};
	const fail = (message) => {
		if (done) return;
		done = true;
		cleanup();
		console.log(JSON.stringify({ error: message, subscribers: opts.subscribers, rate: opts.rate, seconds: opts.seconds }));
		process.exit(1);
	};
	const hardTimeoutMs = (opts.seconds + opts.warmup + 60) * 1000;
	setTimeout(() => fail(`hard timeout after ${hardTimeoutMs / 1000} s`), hardTimeoutMs).unref();
	process.on('uncaughtException', (e) => fail(`unexpected: ${e.stack ?? e}`));
	process.on('unhandledRejection', (e) => fail(`unexpected: ${e?.stack ?? e}`));

	// The listener must exist; its bound port is the default TCP port.
	const origin = opts.base.origin;
	const id = opts.listener;
	let listener;
	try {
		const res = await fetch(new URL(`/api/listeners/${encodeURIComponent(id)}`, opts.base), {
			signal: AbortSignal.timeout(5000),
		});
		if (res.status === 404) return fail(`listener ${id} does not exist`);
		if (!res.ok) return fail(`GET listener ${id}: HTTP ${res.status}`);
		listener = await res.json();
	} catch (e) {
		return fail(`cannot reach ${origin}: ${e.message}`);
	}
	if (listener.protocol !== 'tcp' || listener.framing?.type !== 'line' || listener.behaviour !== 'discard') {
		log(`warning: listener ${id} is ${listener.protocol}/${listener.behaviour}/${listener.framing?.type}, expected tcp/discard/line`);
	}
	const tcpPort = opts.tcpPort ?? listener.boundPort;
	if (!tcpPort) return fail(`listener ${id} has no bound port and --tcp-port was not given`);
	if (listener.boundPort && tcpPort !== listener.boundPort) {
		log(`warning: --tcp-port ${tcpPort} differs from the listener's boundPort ${listener.boundPort}`);
	}

	// --- children ------------------------------------------------------------------------------
	const procs = Math.min(opts.procs, opts.subscribers);
	const wsUrl = `${opts.base.protocol === 'https:' ? 'wss' : 'ws'}://${opts.base.host}/ws`;
	const topic = `/topic/listeners/${id}/traffic`;
	log(`${opts.subscribers} subscribers on ${topic} via ${wsUrl} in ${procs} processes (deflate ${opts.deflate ? 'offered' : 'off'}, ${opts.plain ? 'plain stompjs client' : 'fast frame parsing, shared JSON parse'})`);

	const waiters = new Map(); // message type -> set of children still to report it
	const expect = (type, timeoutMs, what) =>
		new Promise((resolve, reject) => {
			const pending = new Set(children);
			for (const c of children) if (c.seen.has(type)) pending.delete(c);
			if (pending.size === 0) return resolve();
			const timer = setTimeout(() => reject(new Error(`${what}: timed out after ${(timeoutMs / 1000).toFixed(1)} s`)), timeoutMs);
			waiters.set(type, { pending, resolve: () => (clearTimeout(timer), resolve()) });
		});

	const readyStart = clock();
	let firstIndex = 0;
	for (let k = 0; k < procs; k++) {
		const count = Math.floor(opts.subscribers / procs) + (k < opts.subscribers % procs ? 1 : 0);
		const proc = fork(fileURLToPath(import.meta.url), ['--child'], { stdio: ['ignore', 2, 2, 'ipc'] });
		const c = { proc, count, seen: new Set(), result: null, pongs: new Map() };
		children.push(c);
		proc.on('message', (msg) => {
			if (msg.type === 'error') return fail(`child ${k}: ${msg.message}`);
			if (msg.type === 'pong') return c.pongs.get(msg.id)?.(msg.t);
			if (msg.type === 'result') c.result = msg;
			c.seen.add(msg.type);
			const w = waiters.get(msg.type);
			if (w && w.pending.delete(c) && w.pending.size === 0) w.resolve();
		});
		proc.on('exit', (code, signal) => {
			if (!done && !c.result) fail(`child ${k} exited early (${code ?? signal})`);
		});
		proc.send({
			cmd: 'start',
			config: {
				wsUrl,
				origin,
				topic,
				deflate: opts.deflate,
				plain: opts.plain,
				count,
				firstIndex,
				readyTimeoutMs: opts.readyTimeout * 1000,
				hardTimeoutMs: hardTimeoutMs + 5000,
			},
		});
		firstIndex += count;
	}

	// Align each child's clock with ours: the sample with the shortest round trip wins.
	for (const c of children) {
		let best = { rtt: Infinity, offset: 0 };
		for (let i = 0; i < 20; i++) {
			const t1 = clock();
			const tc = await new Promise((resolve) => {
				c.pongs.set(i, resolve);
				c.proc.send({ cmd: 'ping', id: i });
			});
			const t2 = clock();
			if (t2 - t1 < best.rtt) best = { rtt: t2 - t1, offset: tc - (t1 + t2) / 2 };
		}
		c.proc.send({ cmd: 'offset', offset: best.offset });
		log(`child ${c.proc.pid}: clock offset ${best.offset.toFixed(3)} ms (rtt ${best.rtt.toFixed(3)} ms)`);
	}

	// --- subscribed, proven end to end ----------------------------------------------------------
	const readyTimeoutMs = opts.readyTimeout * 1000;
	try {
		await expect('subscribed', Math.max(1000, readyTimeoutMs - (clock() - readyStart)), `connecting and subscribing ${opts.subscribers} subscribers`);
	} catch (e) {
		return fail(e.message);
	}
	log(`all subscribed ${((clock() - readyStart) / 1000).toFixed(2)} s after starting; connecting the generator to 127.0.0.1:${tcpPort}`);

	const host = opts.base.hostname === 'localhost' ? '127.0.0.1' : opts.base.hostname.replace(/^\[|\]$/g, '');
	try {
		socket = await new Promise((resolve, reject) => {
			const s = net.connect({ host, port: tcpPort, noDelay: true }, () => resolve(s));
			s.once('error', reject);
			s.setTimeout(5000, () => reject(new Error('connect timed out')));
		});
	} catch (e) {
		return fail(`cannot connect to the listener at ${host}:${tcpPort}: ${e.message}`);
	}
	socket.setTimeout(0);
	socket.on('error', (e) => fail(`generator connection: ${e.message}`));
	socket.on('close', () => fail('generator connection closed by the server'));
	socket.on('data', () => {}); // discard listener: nothing expected back

	const padding = 'x'.repeat(opts.lineBytes);
	const line = (ts) => {
		const head = `${ts.toFixed(3)} `;
		return head + padding.slice(0, Math.max(1, opts.lineBytes - head.length - 1)) + '\n';
	};

	const probe = setInterval(() => socket.write(line(clock())), 100);
	socket.write(line(clock()));
	try {
		await expect('ready', Math.max(1000, readyTimeoutMs - (clock() - readyStart)), 'waiting for every subscriber to receive a probe batch');
	} catch (e) {
		clearInterval(probe);
		return fail(e.message);
	}
	clearInterval(probe);
	log(`all ${opts.subscribers} subscribers receive traffic, ${((clock() - readyStart) / 1000).toFixed(2)} s after starting`);

	// --- load -----------------------------------------------------------------------------------
	const parentCpu0 = process.cpuUsage();
	const start = clock();
	const from = start + opts.warmup * 1000;
	const to = from + opts.seconds * 1000;
	for (const c of children) c.proc.send({ cmd: 'window', from, to });

	let written = 0; // lines written since start
	let sent = 0; // lines written inside the window
	let lastTs = 0;
	let maxBuffered = 0;
	let skippedTicks = 0;
	let parentCpuFrom = null;
	let parentCpuTo = null;
	const MAX_BUFFERED = 4 * 1024 * 1024;

	await new Promise((resolve) => {
		const tick = () => {
			const now = clock();
			if (parentCpuFrom === null && now >= from) parentCpuFrom = process.cpuUsage();
			const target = Math.floor((opts.rate * (Math.min(now, to) - start)) / 1000);
			if (socket.writableLength > MAX_BUFFERED) {
				// the server is not reading: do not hide that in a growing local buffer
				skippedTicks++;
			} else if (target > written) {
				// one timestamp per burst: the moment it is written, as the subscribers will read it
				const ts = Number(now.toFixed(3));
				const n = target - written;
				socket.write(line(ts).repeat(n));
				written = target;
				lastTs = ts;
				if (ts >= from && ts < to) sent += n;
				maxBuffered = Math.max(maxBuffered, socket.writableLength);
			}
			if (now >= to) {
				parentCpuTo = process.cpuUsage();
				clearInterval(writer);
				writer = null;
				resolve();
			}
		};
		writer = setInterval(tick, 5);
	});
	log(`wrote ${written} lines (${sent} in the measured window); max local buffer ${maxBuffered} bytes${skippedTicks ? `, ${skippedTicks} ticks skipped: the server was not reading` : ''}`);

	// --- tail, results --------------------------------------------------------------------------
	for (const c of children) c.proc.send({ cmd: 'stop', lastTs, tailMs: opts.tail * 1000 });
	try {
		await expect('result', opts.tail * 1000 + 10_000, 'collecting results');
	} catch (e) {
		return fail(e.message);
	}
	done = true;
	socket.removeAllListeners('close');
	socket.end();
	const parentCpuUs = total(process.cpuUsage(parentCpu0));
	await Promise.race([
		Promise.all(children.map((c) => (c.proc.exitCode !== null ? null : new Promise((r) => c.proc.once('exit', r))))),
		new Promise((r) => setTimeout(r, 5000)),
	]);
	cleanup();

	const hist = new Histogram();
	const subs = [];
	let tailCaughtUp = 0;
	let childWindowUs = 0;
	const loopDelayMs = { p99: 0, max: 0 };
	for (const c of children) {
		loopDelayMs.p99 = Math.max(loopDelayMs.p99, c.result.loopDelayMs.p99);
		loopDelayMs.max = Math.max(loopDelayMs.max, c.result.loopDelayMs.max);
		hist.addSparse(c.result.hist);
		subs.push(...c.result.subs);
		tailCaughtUp += c.result.tailCaughtUp;
		childWindowUs += c.result.cpu.windowUs ?? 0;
	}
	const S = opts.seconds;
	const delivered = subs.map((s) => s.delivered / S);
	const sum = (xs) => xs.reduce((a, b) => a + b, 0);
	const problems = {
		gaps: sum(subs.map((s) => s.gaps)),
		outOfOrder: sum(subs.map((s) => s.outOfOrder)),
		badText: sum(subs.map((s) => s.badText)),
		negativeLatency: sum(subs.map((s) => s.negative)),
	};
	const accounted = subs.map((s) => (sent ? (s.delivered + s.dropped) / sent : 1));
	log(`tail: ${tailCaughtUp}/${subs.length} subscribers saw the last line within ${opts.tail} s`);
	log(`(delivered + dropped) / sent per subscriber: min ${round(Math.min(...accounted), 4)} max ${round(Math.max(...accounted), 4)}`);
	log(`consistency: ${JSON.stringify(problems)}`);
	const lostSubs = subs.filter((s) => s.closed);
	if (lostSubs.length) {
		const when = lostSubs.map((s) => ((s.closedAt - from) / 1000).toFixed(1)).join(', ');
		log(`warning: ${lostSubs.length} subscribers lost during the run (s after warm-up: ${when}); first: ${lostSubs[0].closed}`);
	}
	const windowCpuMs = (childWindowUs + (parentCpuFrom && parentCpuTo ? total(parentCpuTo) - total(parentCpuFrom) : 0)) / 1000;

	const report = {
		subscribers: opts.subscribers,
		rate: opts.rate,
		seconds: S,
		sent,
		deliveredPerSubscriberPerSecond: {
			min: round(Math.min(...delivered)),
			median: round(median(delivered)),
			max: round(Math.max(...delivered)),
		},
		deliveredTotalPerSecond: round(sum(delivered)),
		droppedPerSubscriber: {
			median: Math.round(median(subs.map((s) => s.dropped))),
			max: Math.round(Math.max(...subs.map((s) => s.dropped))),
		},
		batchesPerSubscriberPerSecond: round(sum(subs.map((s) => s.batches)) / subs.length / S),
		p50ms: round(hist.quantile(0.5), 3),
		p99ms: round(hist.quantile(0.99), 3),
		p999ms: round(hist.quantile(0.999), 3),
		maxms: round(hist.max, 3),
		// extras, for reading the figures above
		warmup: opts.warmup,
		lineBytes: opts.lineBytes,
		procs,
		deflate: opts.deflate,
		plainClient: opts.plain,
		latencySamples: hist.total,
		tailCaughtUp,
		subscribersLost: subs.filter((s) => s.closed).length,
		consistency: problems,
		clientCpu: {
			windowPercentOfOneCore: round((windowCpuMs / (S * 1000)) * 100, 1),
			parentTotalMs: round(parentCpuUs / 1000, 0),
			childrenTotalMs: round(sum(children.map((c) => c.result.cpu.totalUs)) / 1000, 0),
			eventLoopDelayMs: { p99: round(loopDelayMs.p99, 1), max: round(loopDelayMs.max, 1) },
		},
	};
	console.log(JSON.stringify(report));
	process.exit(0);
}

if (process.argv[2] === '--child' && process.send) {
	child();
} else {
	parent();
}
