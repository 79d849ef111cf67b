// SocketDeck as the benchmark drives it: start the jar, talk to its REST API, read its memory
// with jcmd, stop it.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

import { Proc, freePort, removeTempDir, sleep, tempDir } from './procs.mjs';

const execFileP = promisify(execFile);
const STARTED = /Started \S+ in ([\d.]+) seconds/;

/**
 * Starts the app on a free port with a fresh data dir and no declared listeners, and waits
 * for Spring's "Started … in X seconds" line. `port: 0` lets the app pick (no API then).
 * `jvmArgs` go before `-jar` (e.g. -XX:AOTCache=…).
 * The working directory is the data dir, so an application.yml lying around is not read.
 */
export async function startApp({ java, jar, jvmArgs = [], nmt = true, port, logDir, maxSeconds = 1800, timeoutMs = 60_000 }) {
	port ??= await freePort();
	const dataDir = tempDir('socketdeck-bench-data-');
	const args = [
		...(nmt ? ['-XX:NativeMemoryTracking=summary'] : []),
		...jvmArgs,
		'-jar', jar,
		`--server.port=${port}`,
		'--socketdeck.listeners=',
		`--socketdeck.data-dir=${dataDir}`,
	];
	const logFile = logDir ? path.join(logDir, `app-${path.basename(dataDir)}.log`) : null;
	const t0 = performance.now();
	const proc = new Proc('socketdeck', java, args, { maxSeconds, logFile, cwd: dataDir });
	try {
		const m = await proc.waitFor(STARTED, timeoutMs);
		return new App({ java, proc, port, dataDir, wallMs: performance.now() - t0, springSeconds: Number(m[1]) });
	} catch (err) {
		await proc.stop({ eofMs: 0, graceMs: 2000 });
		removeTempDir(dataDir);
		throw err;
	}
}

export class ApiError extends Error {
	constructor(status, body, what) {
		super(`${what}: HTTP ${status}${body?.detail ? `: ${body.detail}` : ''}`);
		this.status = status;
		this.body = body;
	}
}

export class App {
	constructor({ java, proc, port, dataDir, wallMs, springSeconds }) {
		this.java = java;
		this.proc = proc;
		this.pid = proc.pid;
		this.port = port;
		this.base = `http://127.0.0.1:${port}`;
		this.dataDir = dataDir;
		this.wallMs = wallMs;
		this.springSeconds = springSeconds;
		this.jcmdPath = path.join(path.dirname(fs.realpathSync(java)), 'jcmd');
	}

	async api(method, urlPath, body) {
		const res = await fetch(this.base + urlPath, {
			method,
			headers: body ? { 'Content-Type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
			signal: AbortSignal.timeout(30_000),
		});
		const text = await res.text();
		let json = null;
		try {
			json = text ? JSON.parse(text) : null;
		} catch {
			json = { detail: text.slice(0, 200) };
		}
		if (!res.ok) throw new ApiError(res.status, json, `${method} ${urlPath}`);
		return json;
	}

	/** Creates (and starts) a listener; resolves with its JSON (boundPort is the port). */
	async createListener(spec) {
		const l = await this.api('POST', '/api/listeners', spec);
		if (l.state !== 'running' || !l.boundPort) throw new Error(`listener ${spec.name} is ${l.state}: ${l.reason ?? ''}`);
		return l;
	}

	async deleteListener(name) {
		await this.api('DELETE', `/api/listeners/${name}`);
	}

	async stats(name) {
		return (await this.api('GET', `/api/listeners/${name}`)).stats;
	}

	/** Polls until the listener has `n` connections (or fewer, with `atMost`). */
	async waitConnections(name, n, { timeoutMs = 30_000, atMost = false } = {}) {
		const deadline = performance.now() + timeoutMs;
		let c;
		for (;;) {
			c = (await this.stats(name)).connections;
			if (atMost ? c <= n : c === n) return c;
			if (performance.now() > deadline) throw new Error(`listener ${name} still has ${c} connections, expected ${n}`);
			await sleep(200);
		}
	}

	async jcmd(...args) {
		const { stdout } = await execFileP(this.jcmdPath, [String(this.pid), ...args], {
			timeout: 120_000,
			maxBuffer: 64 * 1024 * 1024,
		});
		return stdout;
	}

	/**
	 * Live heap (GC.class_histogram forces a full GC first; its last line is the total) and the
	 * NMT summary: committed in all, and the Java heap's committed part. Bytes.
	 */
	async memory() {
		const histogram = await this.jcmd('GC.class_histogram');
		const total = histogram.match(/^Total\s+(\d+)\s+(\d+)\s*$/m);
		if (!total) throw new Error('no "Total" line in jcmd GC.class_histogram');
		const nmt = await this.jcmd('VM.native_memory', 'summary');
		const all = nmt.match(/Total: reserved=(\d+)KB, committed=(\d+)KB/);
		const heap = nmt.match(/Java Heap \(reserved=(\d+)KB, committed=(\d+)KB\)/);
		if (!all || !heap) throw new Error('no totals in jcmd VM.native_memory summary (is -XX:NativeMemoryTracking on?)');
		const categories = {};
		for (const m of nmt.matchAll(/^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB/gm)) categories[m[1]] = Number(m[3]) * 1024;
		const committed = Number(all[2]) * 1024;
		const heapCommitted = Number(heap[2]) * 1024;
		return {
			classes: histogramClasses(histogram),
			liveInstances: Number(total[1]),
			liveHeapBytes: Number(total[2]),
			nmtCommittedBytes: committed,
			nmtHeapCommittedBytes: heapCommitted,
			nmtNonHeapCommittedBytes: committed - heapCommitted,
			nmtCommittedByCategory: categories,
		};
	}

	/** The classes whose live bytes grew most from `before` to `after` (memory() results). */
	static topGrowth(before, after, n = 8) {
		return Object.entries(after.classes)
			.map(([name, a]) => ({ class: name, instances: a.instances - (before.classes[name]?.instances ?? 0), bytes: a.bytes - (before.classes[name]?.bytes ?? 0) }))
			.sort((x, y) => y.bytes - x.bytes)
			.slice(0, n);
	}

	async stop() {
		await this.proc.stop({ eofMs: 0, graceMs: 15_000 });
		removeTempDir(this.dataDir);
	}
}

/** `num: instances bytes class` lines of a class histogram, by class name. */
function histogramClasses(text) {
	const classes = {};
	for (const m of text.matchAll(/^\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)/gm)) {
		classes[m[3]] = { instances: Number(m[1]), bytes: Number(m[2]) };
	}
	return classes;
}
