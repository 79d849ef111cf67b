// Child processes for the benchmark: spawn, wait for a line, run a client to its JSON result,
// stop, read CPU time from /proc. Every child is tracked so that stopAll()/killAllSync() can
// end whatever is left on an error, Ctrl-C or exit, and each one also gets a small watchdog
// (a detached `sh` loop) that SIGKILLs it if the harness itself dies or its time bound passes.

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

const running = new Set();
const tempDirs = new Set();
let closing = false;

/** Clock ticks per second of utime/stime in /proc/<pid>/stat (normally 100). */
export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects after `ms` unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what}: no answer within ${Math.round(ms / 1000)} s`)), ms);
	});
	return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Proc {
	/**
	 * @param name short label for messages
	 * @param maxSeconds hard bound: the watchdog SIGKILLs the process after this long
	 * @param logFile if set, every output line is appended there too
	 * @param cwd working directory
	 */
	constructor(name, cmd, args, { maxSeconds = 900, logFile = null, cwd = undefined } = {}) {
		if (closing) throw new Error(`not starting ${name}: the harness is stopping`);
		this.name = name;
		this.cmd = cmd;
		this.args = args;
		this.startedAt = performance.now();
		this.stdoutText = '';
		this.tail = []; // last lines of stdout and stderr, for error messages
		this.waiters = [];
		this.exit = null;
		this.log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
		this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd });
		this.pid = this.child.pid;
		running.add(this);
		this.child.stdin.on('error', () => {}); // EPIPE when it is gone already
		this.exited = new Promise((resolve) => {
			this.child.on('error', (err) => {
				this.exit ??= { code: null, signal: null, error: err.message };
				running.delete(this);
				resolve(this.exit);
			});
			this.child.on('close', (code, signal) => {
				this.exit ??= { code, signal };
				running.delete(this);
				this.log?.end();
				for (const w of this.waiters) w.reject(new Error(`${name} exited (${describeExit(this.exit)}) before printing ${w.re}${this.tailText()}`));
				this.waiters = [];
				resolve(this.exit);
			});
		});
		this.#lines(this.child.stdout, true);
		this.#lines(this.child.stderr, false);
		if (this.pid) watchdog(this.pid, maxSeconds);
	}

	#lines(stream, isStdout) {
		let partial = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk) => {
			if (isStdout && this.stdoutText.length < 1_000_000) this.stdoutText += chunk;
			this.log?.write(chunk);
			const parts = (partial + chunk).split('\n');
			partial = parts.pop();
			for (const line of parts) this.#line(line);
		});
	}

	#line(line) {
		this.tail.push(line);
		if (this.tail.length > 40) this.tail.shift();
		this.waiters = this.waiters.filter((w) => {
			const m = line.match(w.re);
			if (m) w.resolve(m);
			return !m;
		});
	}

	tailText() {
		const lines = this.tail.filter((l) => l.trim() !== '').slice(-12);
		return lines.length ? `\n  last output of ${this.name}:\n    ${lines.join('\n    ')}` : '';
	}

	get alive() {
		return this.exit === null;
	}

	/** Resolves with the match of the first output line (stdout or stderr) matching `re`. */
	waitFor(re, timeoutMs) {
		for (const line of this.tail) {
			const m = line.match(re);
			if (m) return Promise.resolve(m);
		}
		if (!this.alive) return Promise.reject(new Error(`${this.name} exited (${describeExit(this.exit)})${this.tailText()}`));
		const p = new Promise((resolve, reject) => this.waiters.push({ re, resolve, reject }));
		return withTimeout(p, timeoutMs, `${this.name} waiting for ${re}`).catch((err) => {
			throw new Error(err.message + this.tailText());
		});
	}

	/** Closes stdin: the C servers and the idle client end on EOF. */
	endStdin() {
		if (!this.child.stdin.destroyed) this.child.stdin.end();
	}

	signal(sig) {
		if (this.alive) {
			try {
				process.kill(this.pid, sig);
			} catch {
				// already gone
			}
		}
	}

	/** Ends the process: stdin EOF, then `sig` after `eofMs`, then SIGKILL after `graceMs`. */
	async stop({ sig = 'SIGTERM', eofMs = 1000, graceMs = 5000 } = {}) {
		if (!this.alive) return this.exit;
		this.endStdin();
		if (eofMs > 0 && (await settlesWithin(this.exited, eofMs))) return this.exit;
		this.signal(sig);
		if (await settlesWithin(this.exited, graceMs)) return this.exit;
		this.signal('SIGKILL');
		await settlesWithin(this.exited, 5000);
		return this.exit;
	}
}

async function settlesWithin(promise, ms) {
	let timer;
	const done = await Promise.race([promise.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), ms)))]);
	clearTimeout(timer);
	return done;
}

function describeExit(exit) {
	if (!exit) return 'running';
	if (exit.error) return exit.error;
	return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}

/**
 * A detached sh loop that SIGKILLs `pid` once the harness is gone or `maxSeconds` passed,
 * and ends by itself as soon as `pid` has exited.
 */
function watchdog(pid, maxSeconds) {
	const script =
		`i=0; while kill -0 ${pid} 2>/dev/null; do ` +
		`if ! kill -0 ${process.pid} 2>/dev/null || [ $i -ge ${Math.ceil(maxSeconds)} ]; then kill -9 ${pid} 2>/dev/null; exit 0; fi; ` +
		`sleep 1; i=$((i+1)); done`;
	const wd = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
	wd.on('error', () => {});
	wd.unref();
}

/**
 * Runs a client that prints one JSON line and exits; resolves with the parsed JSON.
 * `onSpawn(proc)` runs right after the spawn (e.g. to schedule a CPU sample).
 * Throws (with the client's "error" field when it printed one) on a non-zero exit or timeout.
 */
export async function runJson(name, cmd, args, { timeoutMs, onSpawn } = {}) {
	const proc = new Proc(name, cmd, args, { maxSeconds: timeoutMs / 1000 + 10 });
	onSpawn?.(proc);
	if (!(await settlesWithin(proc.exited, timeoutMs))) {
		await proc.stop({ eofMs: 0, graceMs: 2000 });
		throw new Error(`${name} did not finish within ${Math.round(timeoutMs / 1000)} s${proc.tailText()}`);
	}
	const json = lastJson(proc.stdoutText);
	if (proc.exit.code !== 0 || !json) {
		const why = json?.error ?? `${describeExit(proc.exit)}, no JSON result`;
		throw new Error(`${name}: ${why}${proc.tailText()}`);
	}
	return { json, elapsedMs: performance.now() - proc.startedAt, proc };
}

/** The last line of `text` that parses as a JSON object, or null. */
export function lastJson(text) {
	const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{'));
	for (let i = lines.length - 1; i >= 0; i--) {
		try {
			return JSON.parse(lines[i]);
		} catch {
			// not JSON after all
		}
	}
	return null;
}

/** utime + stime of a process (all its threads, live and exited) in clock ticks. */
export function cpuTicks(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
	return Number(fields[11]) + Number(fields[12]); // fields 14 and 15
}

/**
 * CPU time of this process's finished children and everything they waited for in turn
 * (cutime + cstime of /proc/self/stat), in clock ticks: a client's total once it has exited.
 */
export function childrenCpuTicks() {
	const stat = fs.readFileSync('/proc/self/stat', 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[13]) + Number(fields[14]); // fields 16 and 17
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** A fresh directory under the system's temp dir, removed at exit if still there. */
export function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export function removeTempDir(dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	tempDirs.delete(dir);
}

/** Stops every child still running (graceful, then SIGKILL); `forGood` refuses new ones. */
export async function stopAll({ forGood = false } = {}) {
	if (forGood) closing = true;
	await Promise.all([...running].map((p) => p.stop({ eofMs: 500, graceMs: 3000 })));
}

/** Last resort on process exit: SIGKILL whatever is left and remove temp dirs (synchronous). */
export function cleanUpSync() {
	for (const p of running) p.signal('SIGKILL');
	for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
}

/** Sockets in TIME_WAIT on this machine (from /proc/net/sockstat), or 0 if unknown. */
export function timeWaitCount() {
	try {
		return Number(fs.readFileSync('/proc/net/sockstat', 'utf8').match(/^TCP:.*\btw (\d+)/m)?.[1] ?? 0);
	} catch {
		return 0;
	}
}
