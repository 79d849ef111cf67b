#!/usr/bin/env node
// SocketDeck benchmark harness. Normally started by bench/run, which finds the JDK, builds
// the jar, the C programs and the live client first:
//
//   node bench/harness/run.mjs --java PATH --jar PATH [--quick] [--rounds N] [--seconds S]
//        [--only case,case]
//
// Cases: startup, echo-8, echo-64, bulk, udp, idle, live (`echo` = echo-8,echo-64). Every
// contender of a case runs once per round, in an order rotated by the round, so drift hits
// all alike. Results go to bench/results/; progress to stderr; the markdown also to stdout.
// All traffic is on 127.0.0.1; every child process is time-bounded and stopped at the end.

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ApiError, App, startApp } from './app.mjs';
import { CLK_TCK, Proc, childrenCpuTicks, cleanUpSync, cpuTicks, removeTempDir, runJson, sleep, stopAll, tempDir, timeWaitCount, withTimeout } from './procs.mjs';
import { auto, markdown, num, ratio, stats, summarize, targets } from './report.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD = path.join(ROOT, 'bench/build');
const LIVE = path.join(ROOT, 'bench/live/live.mjs');
const RESULTS = path.join(ROOT, 'bench/results');
const AOT_SCRIPT = path.join(ROOT, 'scripts/aot-cache.sh');
const HOST = '127.0.0.1';
const CASES = ['startup', 'echo-8', 'echo-64', 'bulk', 'udp', 'idle', 'live'];
const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Options

const { values: opt } = parseArgs({
	options: {
		java: { type: 'string' },
		jar: { type: 'string' },
		quick: { type: 'boolean', default: false },
		rounds: { type: 'string' },
		seconds: { type: 'string' },
		only: { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false },
	},
});
const usage = 'usage: bench/run [--quick] [--jar PATH] [--rounds N] [--seconds S] [--only case,case]\n' +
	`cases: ${CASES.join(', ')} (echo = echo-8,echo-64)`;
if (opt.help) {
	console.log(usage);
	process.exit(0);
}
const fail = (msg) => {
	console.error(`bench: ${msg}\n${usage}`);
	process.exit(2);
};
if (!opt.java || !opt.jar) fail('--java and --jar are required (bench/run passes them)');
if (!fs.existsSync(opt.jar)) fail(`no jar at ${opt.jar}`);

const quick = opt.quick;
const cfg = quick
	? { rounds: 3, seconds: 1.5, warmup: 0.5, jitSeconds: 1, bulkBytes: 256 * MiB, bulkWarmBytes: 64 * MiB, idleConnections: 2000, liveSeconds: 5, liveWarmup: 1, startups: 1 }
	: { rounds: 5, seconds: 8, warmup: 1, jitSeconds: 3, bulkBytes: 1024 * MiB, bulkWarmBytes: 256 * MiB, idleConnections: 19_500, liveSeconds: 15, liveWarmup: 2, startups: 3 };
if (opt.rounds !== undefined) cfg.rounds = positive(opt.rounds, '--rounds', true);
if (opt.seconds !== undefined) cfg.seconds = positive(opt.seconds, '--seconds', false);
cfg.quick = quick;
cfg.liveSubscribers = 100;
cfg.liveRate = 10_000;
cfg.liveOverRate = 40_000;
cfg.cases = selectCases(opt.only);
cfg.describe = `${quick ? 'quick' : 'full'}: ${cfg.rounds} round${cfg.rounds > 1 ? 's' : ''} × ${cfg.seconds} s (+${cfg.warmup} s warm-up) per contender, ` +
	`${cfg.jitSeconds} s untimed JIT warm-up per SocketDeck listener and case; bulk ${num(cfg.bulkBytes / MiB)} MiB; ` +
	`idle ${num(cfg.idleConnections)} connections; live ${cfg.liveSubscribers} subscribers × ${cfg.liveSeconds} s (+${cfg.liveWarmup} s) at ${num(cfg.liveRate)}/s and ${num(cfg.liveOverRate)}/s; ` +
	`${cfg.startups} start${cfg.startups > 1 ? 's' : ''} each with java -jar and with Spring AOT + an AOT cache`;

const TITLES = {
	startup: `${cfg.startups} fresh start${cfg.startups > 1 ? 's' : ''} of the app each with java -jar and with Spring AOT + an AOT cache (port 0, empty data dir, no declared listeners, no NMT)`,
	'echo-8': 'TCP echo ping-pong, 64 B, 8 connections',
	'echo-64': 'TCP echo ping-pong, 64 B, 64 connections',
	bulk: `one TCP connection, ${num(cfg.bulkBytes / MiB)} MiB written and echoed back concurrently`,
	udp: 'UDP echo, 16 senders, 64 B datagrams',
	idle: `${num(cfg.idleConnections)} idle TCP connections held open`,
	live: `STOMP live view: ${cfg.liveSubscribers} subscribers on one listener's traffic topic`,
};

function positive(s, name, integer) {
	const v = Number(s);
	if (!(v > 0) || (integer && !Number.isInteger(v))) fail(`${name} wants a positive ${integer ? 'integer' : 'number'}, not ${s}`);
	return v;
}

function selectCases(only) {
	if (!only) return CASES;
	const wanted = new Set();
	for (const c of only.split(',').map((s) => s.trim()).filter(Boolean)) {
		if (c === 'echo') ['echo-8', 'echo-64'].forEach((x) => wanted.add(x));
		else if (CASES.includes(c)) wanted.add(c);
		else fail(`unknown case ${c}`);
	}
	return CASES.filter((c) => wanted.has(c));
}

// ---------------------------------------------------------------------------------------------
// Clean-up on every way out

let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, async () => {
		if (interrupted) return;
		interrupted = true;
		progress(`${sig}: stopping every child process`);
		await stopAll({ forGood: true });
		process.exit(128 + (os.constants.signals[sig] ?? 2)); // the exit handler removes the temp dirs
	});
}
process.on('exit', cleanUpSync);

function progress(msg) {
	process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

const firstLine = (err) => String(err?.message ?? err).split('\n')[0];

// ---------------------------------------------------------------------------------------------
// Programs

function bin(name) {
	const p = path.join(BUILD, name);
	if (!fs.existsSync(p)) throw new Error(`${path.relative(ROOT, p)} is missing (bash bench/c/build.sh builds it)`);
	return p;
}

/** A C server on a free port; resolves once it printed "listening <port>". */
async function cServer(name, program) {
	const proc = new Proc(name, bin(program), ['--port', '0'], { maxSeconds: 1800 });
	const m = await proc.waitFor(/^listening (\d+)/, 10_000);
	return { name, port: Number(m[1]), pid: proc.pid, proc };
}

/**
 * Runs a client to its JSON and samples the server's CPU time after the client's warm-up and
 * after it exits; adds `cpuSeconds` (server CPU over the measured part).
 */
async function measured(name, program, args, { pid, warmupSeconds = 0, timeoutMs }) {
	let cpu0 = null;
	let timer;
	const sample = () => {
		try {
			cpu0 = cpuTicks(pid);
		} catch {
			cpu0 = null;
		}
	};
	try {
		const { json } = await runJson(name, program, args, {
			timeoutMs,
			onSpawn: () => (warmupSeconds > 0 ? (timer = setTimeout(sample, warmupSeconds * 1000)) : sample()),
		});
		const cpuSeconds = cpu0 == null ? null : (cpuTicks(pid) - cpu0) / CLK_TCK;
		return { ...json, cpuSeconds };
	} finally {
		clearTimeout(timer);
	}
}

function pingpong(target, connections, seconds, warmup) {
	const args = ['--host', HOST, '--port', target.port, '--connections', connections, '--size', 64, '--seconds', seconds, '--warmup', warmup].map(String);
	return measured('pingpong', bin('pingpong'), args, { pid: target.pid, warmupSeconds: warmup, timeoutMs: (seconds + warmup + 30) * 1000 }).then((r) => ({
		...r,
		cpuUsPerOp: r.cpuSeconds != null && r.roundTrips > 0 ? (r.cpuSeconds * 1e6) / r.roundTrips : null,
	}));
}

function bulk(target, bytes) {
	const timeout = Math.max(60, Math.ceil(bytes / (4 * MiB))); // generous: 4 MB/s at worst
	const args = ['--host', HOST, '--port', target.port, '--bytes', bytes, '--timeout', timeout].map(String);
	return measured('bulk', bin('bulk'), args, { pid: target.pid, timeoutMs: (timeout + 15) * 1000 }).then((r) => ({
		...r,
		cpuSecondsPerGiB: r.cpuSeconds != null ? r.cpuSeconds / (r.bytes / (1024 * MiB)) : null,
	}));
}

function udpClient(target, seconds, warmup) {
	const args = ['--host', HOST, '--port', target.port, '--senders', 16, '--size', 64, '--seconds', seconds, '--warmup', warmup].map(String);
	return measured('udp_client', bin('udp_client'), args, { pid: target.pid, warmupSeconds: warmup, timeoutMs: (seconds + warmup + 30) * 1000 }).then((r) => ({
		...r,
		cpuUsPerOp: r.cpuSeconds != null && r.requests > 0 ? (r.cpuSeconds * 1e6) / r.requests : null,
	}));
}

/** An untimed warm-up; a failure is reported and noted, and the rounds go on. */
async function warmUp(c, target, what, fn) {
	progress(`${c.name} warm-up: ${target.name}, ${what} (not counted)`);
	try {
		await fn();
	} catch (err) {
		const msg = `warm-up against ${target.name} failed: ${firstLine(await explain(target, err))}`;
		(c.notes ??= []).push(msg);
		progress(`${c.name} ${msg}`);
	}
}

/** For a SocketDeck target, adds the listener's counters to a client's error. */
async function explain(target, err) {
	if (!target.app) return err;
	try {
		const s = await target.app.stats(target.listener);
		const [first, ...rest] = err.message.split('\n');
		const counters = `[listener ${target.listener}: connections ${s.connections}, errors ${s.errors}, slowClientsClosed ${s.slowClientsClosed}]`;
		err.message = [`${first} ${counters}`, ...rest].join('\n');
	} catch {
		// the app may be gone; keep the error as it is
	}
	return err;
}

/** Every contender once per round, in an order rotated by the round. */
async function rounds(caseName, contenders, runOne, describe) {
	const out = [];
	for (let r = 0; r < cfg.rounds; r++) {
		const k = r % contenders.length;
		const order = [...contenders.slice(k), ...contenders.slice(0, k)];
		const results = {};
		for (const c of order) {
			try {
				results[c.name] = await runOne(c);
				progress(`${caseName} round ${r + 1}/${cfg.rounds}: ${c.name} ${describe(results[c.name])}`);
			} catch (err) {
				await explain(c, err);
				results[c.name] = { error: err.message };
				progress(`${caseName} round ${r + 1}/${cfg.rounds}: ${c.name} FAILED: ${firstLine(err)}`);
			}
		}
		out.push({ round: r + 1, order: order.map((c) => c.name), results });
	}
	return out;
}

function finish(c, ratioPairs) {
	c.summary = summarize(c);
	c.ratios = ratioPairs.filter(([a, b]) => c.contenders.includes(a) && c.contenders.includes(b)).map(([a, b]) => ratio(c, a, b));
	return c;
}

/** A C server started in setUp(), or the reason it is not there. */
function server(ctx, name) {
	const srv = ctx.servers[name];
	if (!srv || srv.error) throw new Error(`${name} is not running: ${srv?.error ?? 'not started'}`);
	return srv;
}

// ---------------------------------------------------------------------------------------------
// Cases

const perSec = (r) => `${num(r.perSecond)} rt/s p99 ${auto(r.p99us / 1000)} ms, server CPU ${auto(r.cpuUsPerOp)} µs/rt`;

async function caseEcho(ctx, connections) {
	const name = `echo-${connections}`;
	const c = { name, kind: 'pingpong', title: TITLES[name], notes: [], na: {} };
	const sd = [ctx.targets.socketdeck];
	if (ctx.targets['socketdeck-norec']) sd.push(ctx.targets['socketdeck-norec']);
	else {
		c.na['socketdeck-norec'] = ctx.norecReason;
		c.notes.push(`socketdeck-norec: ${ctx.norecReason}`);
	}
	const contenders = [...sd, server(ctx, 'c-epoll'), server(ctx, 'c-threads')];
	c.contenders = contenders.map((x) => x.name);
	for (const t of sd) await warmUp(c, t, `${cfg.jitSeconds} s of ping-pong`, () => pingpong(t, connections, cfg.jitSeconds, 0));
	c.rounds = await rounds(name, contenders, (t) => pingpong(t, connections, cfg.seconds, cfg.warmup), perSec);
	return finish(c, [['socketdeck', 'c-epoll'], ['socketdeck', 'c-threads'], ['socketdeck', 'socketdeck-norec']]);
}

async function caseBulk(ctx) {
	const c = { name: 'bulk', kind: 'bulk', title: TITLES.bulk };
	const sd = ctx.targets.socketdeck;
	const contenders = [sd, server(ctx, 'c-threads'), server(ctx, 'c-epoll')];
	c.contenders = contenders.map((x) => x.name);
	await warmUp(c, sd, `${num(cfg.bulkWarmBytes / MiB)} MiB`, () => bulk(sd, cfg.bulkWarmBytes));
	c.rounds = await rounds('bulk', contenders, (t) => bulk(t, cfg.bulkBytes), (r) => `${num(r.mbPerSecond)} MB/s, server CPU ${auto(r.cpuSecondsPerGiB)} s/GiB`);
	return finish(c, [['socketdeck', 'c-threads'], ['socketdeck', 'c-epoll']]);
}

async function caseUdp(ctx) {
	const c = { name: 'udp', kind: 'udp', title: TITLES.udp };
	const sd = ctx.targets['socketdeck-udp']; // named "socketdeck" in this case
	const contenders = [sd, server(ctx, 'c-udp')];
	c.contenders = contenders.map((x) => x.name);
	await warmUp(c, sd, `${cfg.jitSeconds} s`, () => udpClient(sd, cfg.jitSeconds, 0));
	c.rounds = await rounds('udp', contenders, (t) => udpClient(t, cfg.seconds, cfg.warmup), (r) => `${num(r.perSecond)} req/s p99 ${auto(r.p99us / 1000)} ms, lost ${num(r.lost)}`);
	return finish(c, [['socketdeck', 'c-udp']]);
}

/**
 * Opens N idle connections (each echoes one line, then holds) and reads the app's memory
 * before and while they are held. A short ping-pong first fills the listener's traffic log to
 * its cap, so the log's own (bounded) growth is not counted as per-connection memory.
 */
async function caseIdle(ctx) {
	const n = cfg.idleConnections;
	const c = { name: 'idle', title: TITLES.idle, connections: n, notes: [] };
	const { app } = ctx;
	const target = ctx.targets.idle;
	progress('idle: filling the traffic log with 1 s of ping-pong (not counted)');
	await pingpong(target, 64, 1, 0);
	await app.waitConnections(target.listener, 0);
	progress('idle: socketdeck memory before (jcmd GC.class_histogram, VM.native_memory summary)');
	const before = await app.memory();
	const held = await holdIdle(target, n, async () => {
		const counters = await app.stats(target.listener);
		progress(`idle: socketdeck has ${num(counters.connections)} connections; memory while held`);
		return { counters, after: await app.memory() };
	});
	const { counters, after } = held.during;
	const h = counters.connections;
	if (!(h > 0)) throw new Error(`the listener holds no connections (the client says: ${JSON.stringify(held.json)})`);
	const heap = (after.liveHeapBytes - before.liveHeapBytes) / h;
	const native = (after.nmtNonHeapCommittedBytes - before.nmtNonHeapCommittedBytes) / h;
	const growth = App.topGrowth(before, after);
	const nmtDeltas = Object.keys(after.nmtCommittedByCategory)
		.filter((k) => k !== 'Java Heap')
		.map((k) => ({ category: k, bytes: after.nmtCommittedByCategory[k] - (before.nmtCommittedByCategory[k] ?? 0) }))
		.filter((d) => d.bytes !== 0)
		.sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes));
	for (const m of [before, after]) delete m.classes; // the full histograms stay out of the JSON
	c.socketdeck = {
		topGrowth: growth,
		nmtDeltas,
		held: h, opened: held.json.opened, echoed: held.json.echoed, failed: held.json.failed, openSeconds: held.json.seconds,
		heapBytesPerConnection: heap, nativeBytesPerConnection: native, jvmBytesPerConnection: heap + Math.max(native, 0), before, after, client: held.json,
	};
	progress(`idle: socketdeck held ${num(h)} connections, opened in ${num(held.json.seconds, 2)} s; ` +
		`heap ${num(heap)} B/conn, native ${num(native)} B/conn: JVM ${num(c.socketdeck.jvmBytesPerConnection)} B/conn`);
	const t0 = Date.now();
	await app.waitConnections(target.listener, 0, { timeoutMs: 60_000 });
	progress(`idle: socketdeck back to 0 connections ${num((Date.now() - t0) / 1000, 1)} s after the release`);
	try {
		const ce = await holdIdle(server(ctx, 'c-epoll'), n, async () => null);
		c['c-epoll'] = { held: ce.json.echoed, opened: ce.json.opened, failed: ce.json.failed, openSeconds: ce.json.seconds, client: ce.json };
	} catch (err) {
		c['c-epoll'] = { error: err.message };
		progress(`idle: c-epoll FAILED: ${firstLine(err)}`);
	}
	return c;
}

/** Runs the idle client against `target` until all are open and echoed, calls `during`, releases. */
async function holdIdle(target, n, during) {
	const hold = 600;
	const args = ['--host', HOST, '--port', target.port, '--connections', n, '--payload', 'ping\\n', '--hold-seconds', hold].map(String);
	const proc = new Proc('idle', bin('idle'), args, { maxSeconds: hold + 30 });
	try {
		const line = await proc.waitFor(/^\s*\{.*\}\s*$/, 180_000);
		const json = JSON.parse(line[0]);
		if (json.error) throw new Error(`idle: ${json.error}`);
		progress(`idle: ${target.name}: ${num(json.opened)} opened, ${num(json.echoed)} echoed, ${num(json.failed)} failed in ${num(json.seconds, 2)} s`);
		const result = await during();
		return { json, during: result };
	} finally {
		await proc.stop({ eofMs: 30_000, graceMs: 5000 }); // EOF on stdin releases them
	}
}

async function caseLive(ctx) {
	const c = { name: 'live', title: TITLES.live, runs: [] };
	if (!fs.existsSync(LIVE)) throw new Error('bench/live/live.mjs is missing');
	const l = ctx.targets.live;
	for (const [label, rate] of [['target rate', cfg.liveRate], ['over capacity', cfg.liveOverRate]]) {
		const args = [LIVE, '--base', ctx.app.base, '--listener', l.listener, '--tcp-port', l.port, '--subscribers', cfg.liveSubscribers,
			'--rate', rate, '--seconds', cfg.liveSeconds, '--warmup', cfg.liveWarmup].map(String);
		const run = { label, rate, subscribers: cfg.liveSubscribers };
		try {
			const app0 = cpuTicks(ctx.app.pid);
			const client0 = childrenCpuTicks();
			const { json, elapsedMs } = await runJson('live', process.execPath, args, { timeoutMs: (cfg.liveSeconds + cfg.liveWarmup + 90) * 1000 });
			run.json = json;
			// average cores busy over the client's whole run (set-up included): is either side CPU-bound?
			run.appCores = (cpuTicks(ctx.app.pid) - app0) / CLK_TCK / (elapsedMs / 1000);
			run.clientCores = (childrenCpuTicks() - client0) / CLK_TCK / (elapsedMs / 1000);
			const j = run.json;
			progress(`live ${label} (${num(rate)}/s): delivered/subscriber/s min ${num(j.deliveredPerSubscriberPerSecond?.min)}, ` +
				`dropped median ${num(j.droppedPerSubscriber?.median)}, p50 ${auto(j.p50ms)} ms, p99 ${auto(j.p99ms)} ms; ` +
				`CPU cores busy: app ${num(run.appCores, 2)}, client ${num(run.clientCores, 2)}`);
		} catch (err) {
			run.error = err.message;
			progress(`live ${label} FAILED: ${firstLine(err)}`);
		}
		c.runs.push(run);
	}
	return c;
}

/**
 * Fresh starts of the app (port 0, new data dir, no NMT): wall time to Spring's "Started", with
 * `java -jar` (plain) and with a JDK 25 AOT cache (aot-cache), interleaved plain, aot, aot,
 * plain, … so drift hits both alike. If the cache cannot be made, plain is still measured.
 */
async function caseStartup(ctx) {
	const c = { name: 'startup', title: TITLES.startup, contenders: ['plain', 'aot-cache'], runs: [] };
	const how = { plain: { label: 'java -jar', command: `${opt.java} -jar ${opt.jar}`, java: opt.java, jar: opt.jar } };
	const dir = tempDir('socketdeck-bench-aot-');
	try {
		try {
			how['aot-cache'] = { label: 'Spring AOT + AOT cache', ...(await aotCache(dir, ctx.logDir)) };
		} catch (err) {
			how['aot-cache'] = { label: 'Spring AOT + AOT cache', error: err.message };
			progress(`startup: aot-cache FAILED: ${firstLine(err)}`);
		}
		const names = c.contenders.filter((n) => !how[n].error);
		for (let i = 0; i < cfg.startups; i++) {
			for (const name of i % 2 ? [...names].reverse() : names) {
				const run = { contender: name };
				const { java, jvmArgs, jar } = how[name];
				try {
					const app = await startApp({ java, jvmArgs, jar, nmt: false, port: 0, logDir: ctx.logDir, maxSeconds: 120 });
					Object.assign(run, { wallSeconds: app.wallMs / 1000, springSeconds: app.springSeconds });
					await app.proc.stop({ sig: 'SIGKILL', eofMs: 0 });
					await app.stop();
					progress(`startup ${i + 1}/${cfg.startups} ${name}: ${num(run.wallSeconds, 2)} s to "Started" (Spring: ${num(run.springSeconds, 3)} s)`);
				} catch (err) {
					run.error = err.message;
					progress(`startup ${i + 1}/${cfg.startups} ${name} FAILED: ${firstLine(err)}`);
				}
				c.runs.push(run);
			}
		}
	} finally {
		removeTempDir(dir);
	}
	c.summary = {};
	for (const name of c.contenders) {
		const runs = c.runs.filter((r) => r.contender === name);
		const { label, command, seconds, error } = how[name];
		c.summary[name] = {
			label, command, seconds, error, starts: runs.length, failed: runs.filter((r) => r.error).length,
			wall: stats(runs.map((r) => r.wallSeconds)), spring: stats(runs.map((r) => r.springSeconds)),
		};
	}
	return c;
}

/**
 * Runs `scripts/aot-cache.sh JAR DIR/cache` (at most 120 s) and returns how to start the app
 * with the cache: exactly the java, options and jar of the command it printed. The script runs
 * in a session of its own, so its training run (a java it starts) is killed with it on a
 * timeout or interrupt; TMPDIR puts its own temp dir in `dir` too.
 */
async function aotCache(dir, logDir) {
	progress('startup: making an AOT cache with scripts/aot-cache.sh');
	const t0 = Date.now();
	const proc = new Proc('aot-cache.sh', 'setsid', ['-w', 'env', `TMPDIR=${dir}`, 'bash', AOT_SCRIPT, path.resolve(opt.jar), path.join(dir, 'cache')], { maxSeconds: 130 });
	const killGroup = () => {
		try {
			process.kill(-proc.pid, 'SIGKILL');
		} catch {
			// all gone already
		}
	};
	process.on('exit', killGroup);
	let exit;
	try {
		exit = await withTimeout(proc.exited, 120_000, 'scripts/aot-cache.sh').catch(() => ({ error: 'did not finish within 120 s' }));
	} finally {
		killGroup();
		process.off('exit', killGroup);
	}
	const line = proc.stdoutText.trim().split('\n').pop();
	if (exit.code !== 0) {
		const stderr = proc.tail.map((l) => l.trim()).filter(Boolean).slice(-12).join(' / '); // stdout has only the command
		const log = path.join(dir, 'cache/training.log');
		const kept = fs.existsSync(log) ? ` (its training.log is kept as ${path.join(logDir, 'aot-training.log')})` : '';
		if (kept) fs.copyFileSync(log, path.join(logDir, 'aot-training.log'));
		throw new Error(`scripts/aot-cache.sh failed (${exit.error ?? exit.signal ?? `exit code ${exit.code}`}): ${stderr || 'no output'}${kept}`);
	}
	const [java, ...args] = line.split(' ');
	const j = args.indexOf('-jar');
	if (j < 0 || j !== args.length - 2 || !args.some((a) => a.startsWith('-XX:AOTCache='))) {
		throw new Error(`scripts/aot-cache.sh printed no "java -XX:AOTCache=… -jar …" line: ${line || 'nothing'}`);
	}
	const seconds = (Date.now() - t0) / 1000;
	progress(`startup: AOT cache made in ${num(seconds, 1)} s; starting with ${line}`);
	return { command: line, seconds, java, jvmArgs: args.slice(0, j), jar: args[j + 1] };
}

// ---------------------------------------------------------------------------------------------
// The app and its listeners

/**
 * Starts the app and creates every listener, and starts the C servers, before any traffic:
 * a run leaves thousands of client ports in TIME_WAIT (the idle case alone 2 × N), and a
 * bind to port 0 can fail while they last.
 */
async function setUp(logDir, cases) {
	progress(`starting SocketDeck (${path.basename(opt.jar)}) with -XX:NativeMemoryTracking=summary`);
	const app = await startApp({ java: opt.java, jar: opt.jar, nmt: true, logDir, maxSeconds: 3600 });
	progress(`SocketDeck pid ${app.pid} up at ${app.base} (${num(app.wallMs / 1000, 2)} s; Spring says ${app.springSeconds} s)`);
	const ctx = { app, logDir, targets: {}, servers: {} };
	try {
		await createListeners(ctx, cases);
		await startServers(ctx, cases);
	} catch (err) {
		await Promise.all([app.stop(), ...Object.values(ctx.servers).filter((s) => s.proc).map((s) => s.proc.stop())]);
		throw err;
	}
	return ctx;
}

async function createListeners(ctx, cases) {
	const { app } = ctx;
	const target = (name, l) => ({ name, listener: l.id, port: l.boundPort, pid: app.pid, app });
	const echo = { protocol: 'tcp', port: 0, behaviour: 'echo', framing: 'raw', limits: { maxConnections: 20_000 } };
	ctx.targets.socketdeck = target('socketdeck', await app.createListener({ name: 'bench-echo', ...echo }));
	try {
		ctx.targets['socketdeck-norec'] = target('socketdeck-norec', await app.createListener({ name: 'bench-echo-norec', ...echo, record: false }));
	} catch (err) {
		if (!(err instanceof ApiError && err.status === 400)) throw err;
		ctx.norecReason = 'n/a: this build cannot switch recording off';
		progress(`socketdeck-norec: ${ctx.norecReason} (${firstLine(err)})`);
	}
	ctx.targets['socketdeck-udp'] = target('socketdeck', await app.createListener({ name: 'bench-udp', protocol: 'udp', port: 0, behaviour: 'echo', framing: 'raw' }));
	if (cases.includes('idle')) ctx.targets.idle = target('socketdeck', await app.createListener({ name: 'bench-idle', ...echo }));
	if (cases.includes('live')) {
		ctx.targets.live = target('socketdeck', await app.createListener({ name: 'bench-live', protocol: 'tcp', port: 0, behaviour: 'discard', framing: 'line', limits: { maxConnections: 20_000 } }));
	}
}

async function startServers(ctx, cases) {
	const wanted = new Set();
	if (cases.some((c) => ['echo-8', 'echo-64', 'bulk', 'idle'].includes(c))) wanted.add('c-epoll');
	if (cases.some((c) => ['echo-8', 'echo-64', 'bulk'].includes(c))) wanted.add('c-threads');
	if (cases.includes('udp')) wanted.add('c-udp');
	const programs = { 'c-epoll': 'echo_epoll', 'c-threads': 'echo_threads', 'c-udp': 'udp_echo' };
	for (const name of wanted) {
		try {
			ctx.servers[name] = await cServer(name, programs[name]);
			progress(`${name} (${programs[name]}) pid ${ctx.servers[name].pid} on port ${ctx.servers[name].port}`);
		} catch (err) {
			ctx.servers[name] = { error: firstLine(err) };
			progress(`${name} did not start: ${firstLine(err)}`);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Machine and versions

function sh(cmd, args) {
	try {
		return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 }).trim();
	} catch (err) {
		return (err.stdout || err.stderr || '').toString().trim() || null;
	}
}

function machine() {
	const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
	const memKb = Number(fs.readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0);
	const javaVersion = spawnSync(opt.java, ['-version'], { encoding: 'utf8', timeout: 30_000 }).stderr.trim().split('\n');
	const gitHead = sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
	const dirty = sh('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src', 'pom.xml', 'frontend/src']);
	return {
		date: new Date().toISOString(),
		cpu: cpuinfo.match(/model name\s*:\s*(.+)/)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown cpu',
		cores: os.cpus().length,
		memoryGiB: memKb / 1048576,
		kernel: `${os.type()} ${os.release()}`,
		java: opt.java,
		javaVersion: `${javaVersion[0]}; ${javaVersion.slice(1).join('; ')}`,
		javaVersionLines: javaVersion,
		node: process.version,
		gcc: sh('gcc', ['--version'])?.split('\n')[0] ?? 'not found',
		jar: path.basename(opt.jar),
		jarPath: path.resolve(opt.jar),
		jarModified: fs.statSync(opt.jar).mtime.toISOString(),
		git: gitHead ? `git ${gitHead}${dirty ? ' + uncommitted changes' : ''}` : null,
		clockTicksPerSecond: CLK_TCK,
	};
}

// ---------------------------------------------------------------------------------------------
// Main

/**
 * A run just before this one (its idle case especially) can leave most of the ephemeral port
 * range in TIME_WAIT for a minute, and binding port 0 then fails: if more than 60 % of the
 * range is, wait (at most 65 s) until it is under 40 %.
 */
async function portsSettle() {
	let size = 28_232;
	try {
		const [lo, hi] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
		size = hi - lo + 1;
	} catch {
		// keep Linux's default range
	}
	const tw = timeWaitCount();
	if (tw < 0.6 * size) return;
	progress(`${num(tw)} sockets in TIME_WAIT (a previous run?): waiting up to 65 s for them to clear`);
	for (let i = 0; i < 65 && timeWaitCount() >= 0.4 * size; i++) await sleep(1000);
}

async function main() {
	const started = Date.now();
	const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'socketdeck-bench-logs-'));
	const results = { meta: machine(), config: cfg, cases: {} };
	progress(`SocketDeck benchmark, ${cfg.describe}`);
	progress(`cases: ${cfg.cases.join(', ')}; app and C server logs in ${logDir}`);
	let ctx = null;
	let failed = false;
	const run = async (name, fn) => {
		progress(`--- ${name}`);
		try {
			results.cases[name] = await fn();
		} catch (err) {
			failed = true;
			results.cases[name] = { name, title: TITLES[name], error: err.message };
			progress(`${name} FAILED: ${err.message}`);
		}
	};
	try {
		await portsSettle();
		if (cfg.cases.includes('startup')) await run('startup', () => caseStartup({ logDir }));
		const rest = cfg.cases.filter((c) => c !== 'startup');
		if (rest.length) {
			try {
				ctx = await setUp(logDir, rest);
			} catch (err) {
				failed = true;
				progress(`SocketDeck did not start: ${err.message}`);
				for (const c of rest) results.cases[c] = { name: c, title: TITLES[c], error: `SocketDeck did not start: ${firstLine(err)}` };
			}
			if (ctx) {
				for (const name of rest) {
					if (name === 'echo-8') await run(name, () => caseEcho(ctx, 8));
					if (name === 'echo-64') await run(name, () => caseEcho(ctx, 64));
					if (name === 'bulk') await run(name, () => caseBulk(ctx));
					if (name === 'udp') await run(name, () => caseUdp(ctx));
					if (name === 'idle') await run(name, () => caseIdle(ctx));
					if (name === 'live') await run(name, () => caseLive(ctx));
				}
			}
		}
	} finally {
		if (ctx) {
			progress('stopping SocketDeck and the C servers');
			await Promise.all([
				ctx.app.stop().catch((err) => progress(`stopping SocketDeck: ${err.message}`)),
				...Object.values(ctx.servers).filter((s) => s.proc).map((s) => s.proc.stop()),
			]);
		}
		await stopAll();
	}
	if (interrupted) return 130;
	for (const c of Object.values(results.cases)) {
		if (c.rounds?.some((r) => Object.values(r.results).some((x) => x.error))) failed = true;
		if (c.runs?.some((r) => r.error) || Object.values(c.summary ?? {}).some((s) => s.error)) failed = true;
	}
	results.targets = targets(results);
	results.elapsedSeconds = (Date.now() - started) / 1000;
	const md = markdown(results) + `\nTotal run time: ${num(results.elapsedSeconds)} s.\n`;

	fs.mkdirSync(RESULTS, { recursive: true });
	const stamp = results.meta.date.slice(0, 16).replace(/:/g, '');
	const base = path.join(RESULTS, `${stamp}${quick ? '-quick' : ''}`);
	fs.writeFileSync(`${base}.md`, md);
	fs.writeFileSync(`${base}.json`, JSON.stringify(results, null, 2) + '\n');
	const latest = quick ? 'latest-quick.md' : 'latest.md';
	if (!opt.only) fs.writeFileSync(path.join(RESULTS, latest), md); // a run of some cases only leaves it alone
	process.stdout.write(md);
	progress(`wrote ${path.relative(ROOT, base)}.md and .json${opt.only ? '' : ` and bench/results/${latest}`} (${num(results.elapsedSeconds)} s)`);
	if (failed) progress(`some cases failed; logs kept in ${logDir}`);
	else fs.rmSync(logDir, { recursive: true, force: true });
	return failed ? 1 : 0;
}

// after a signal, its handler ends the process once every child is stopped
main().then(
	(code) => interrupted || process.exit(code),
	async (err) => {
		if (interrupted) return;
		progress(`bench failed: ${err.stack ?? err}`);
		await stopAll();
		process.exit(1);
	},
);
