// Statistics over rounds, per-round ratios, the targets, and the markdown report.

// ---------------------------------------------------------------------------------------------
// Numbers

export function stats(values) {
	const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return null;
	const mid = Math.floor(v.length / 2);
	const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
	return { median, min: v[0], max: v[v.length - 1], n: v.length };
}

const nf = (digits) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const num = (x, digits = 0) => (typeof x === 'number' && Number.isFinite(x) ? nf(digits).format(x) : '–');
/** Significant-ish: 3 digits for small numbers, none for big ones. */
export const auto = (x) => {
	if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
	const a = Math.abs(x);
	return num(x, a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
};
export const ms = (us) => (typeof us === 'number' ? `${auto(us / 1000)} ms` : '–');
export const times = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${num(x, 2)}×` : '–');
const range = (s, f) => (s ? (s.n > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median)) : '–');

// ---------------------------------------------------------------------------------------------
// What each kind of case measures: the main figure first.

export const KINDS = {
	pingpong: {
		metrics: [
			{ key: 'perSecond', label: 'round trips/s', fmt: (x) => num(x) },
			{ key: 'p50us', label: 'p50 µs', fmt: auto },
			{ key: 'p99us', label: 'p99 µs', fmt: auto },
			{ key: 'p999us', label: 'p99.9 µs', fmt: auto },
			{ key: 'maxus', label: 'max µs', fmt: auto },
			{ key: 'cpuUsPerOp', label: 'server CPU µs/round trip', fmt: auto },
			{ key: 'errors', label: 'errors', fmt: (x) => num(x) },
		],
	},
	bulk: {
		metrics: [
			{ key: 'mbPerSecond', label: 'MB/s', fmt: (x) => num(x) },
			{ key: 'seconds', label: 'seconds', fmt: auto },
			{ key: 'cpuSecondsPerGiB', label: 'server CPU s/GiB', fmt: auto },
		],
	},
	udp: {
		metrics: [
			{ key: 'perSecond', label: 'requests/s', fmt: (x) => num(x) },
			{ key: 'p50us', label: 'p50 µs', fmt: auto },
			{ key: 'p99us', label: 'p99 µs', fmt: auto },
			{ key: 'p999us', label: 'p99.9 µs', fmt: auto },
			{ key: 'lost', label: 'lost', fmt: (x) => num(x) },
			{ key: 'cpuUsPerOp', label: 'server CPU µs/request', fmt: auto },
		],
	},
};

/** Per contender and metric: median, min, max over the rounds that produced a figure. */
export function summarize(c) {
	const out = {};
	for (const name of c.contenders) {
		const rows = c.rounds.map((r) => r.results[name]).filter((row) => row && !row.error);
		out[name] = { rounds: rows.length, failed: c.rounds.length - rows.length };
		for (const m of KINDS[c.kind].metrics) out[name][m.key] = stats(rows.map((row) => row[m.key]));
	}
	return out;
}

/** Round r's `num` figure over round r's `den` figure, for every round with both. */
export function ratio(c, numName, denName, key = KINDS[c.kind].metrics[0].key) {
	const perRound = c.rounds.map((r) => {
		const a = r.results[numName];
		const b = r.results[denName];
		return a && b && !a.error && !b.error && b[key] > 0 ? a[key] / b[key] : null;
	});
	return { num: numName, den: denName, key, perRound, ...(stats(perRound) ?? { median: null, min: null, max: null, n: 0 }) };
}

// ---------------------------------------------------------------------------------------------
// Targets: each row {case, target, measured, met: true | false | null, note}

export function targets(results) {
	const rows = [];
	const cases = results.cases;
	const quick = results.config.quick;
	const add = (name, target, measured, met, note = '') => rows.push({ case: name, target, measured, met, note });
	const ratioRow = (name, c, den, min, target) => {
		if (!c || c.error) return add(name, target, '–', null, c ? `error: ${c.error}` : 'not run');
		const r = c.ratios.find((x) => x.num === 'socketdeck' && x.den === den);
		if (!r) return add(name, target, '–', null, c.na?.[den] ?? `no ${den} figures`);
		if (r.median == null) {
			const sdFailed = c.summary?.socketdeck && c.summary.socketdeck.rounds === 0;
			if (!sdFailed) return add(name, target, '–', null, 'no rounds with both figures');
			const firstError = c.rounds.map((x) => x.results.socketdeck?.error).find(Boolean) ?? '';
			return add(name, target, `socketdeck failed every round: ${firstError.split('\n')[0]}`, false);
		}
		add(name, target, `${times(r.median)} (${times(r.min)}–${times(r.max)})`, r.median >= min);
	};

	for (const conns of [8, 64]) {
		const name = `echo-${conns}`;
		const c = cases[name];
		if (!c) continue;
		ratioRow(name, c, 'c-epoll', 1.0, 'socketdeck ≥ 1.0× c-epoll');
		if (conns === 64) ratioRow(name, c, 'c-threads', 0.9, 'socketdeck ≥ 0.9× c-threads');
		const limitMs = conns === 8 ? 1 : 3;
		const p99 = c.summary?.socketdeck?.p99us;
		if (c.error || !p99) add(name, `socketdeck p99 ≤ ${limitMs} ms`, '–', null, c.error ? `error: ${c.error}` : 'no figures');
		else add(name, `socketdeck p99 ≤ ${limitMs} ms`, `${ms(p99.median)} (${ms(p99.min)}–${ms(p99.max)})`, p99.median <= limitMs * 1000);
		ratioRow(`recording cost, ${conns}`, c, 'socketdeck-norec', 0.9, 'socketdeck ≥ 0.9× socketdeck-norec');
	}
	if (cases.bulk) ratioRow('bulk', cases.bulk, 'c-threads', 0.75, 'socketdeck ≥ 0.75× c-threads');
	if (cases.udp) ratioRow('udp', cases.udp, 'c-udp', 0.9, 'socketdeck ≥ 0.9× c-udp');

	const idle = cases.idle;
	if (idle) {
		const sd = idle.socketdeck;
		if (idle.error || !sd) {
			add('idle', 'holds 19,500 connections', '–', null, `error: ${idle.error ?? 'no figures'}`);
			add('idle', '≤ 6 KiB (6,144 B) JVM memory per connection', '–', null, `error: ${idle.error ?? 'no figures'}`);
		} else {
			if (quick || idle.connections < 19_500) add('idle', 'holds 19,500 connections', `held ${num(sd.held)} of ${num(idle.connections)}`, null, 'not measured in quick');
			else add('idle', 'holds 19,500 connections', `held ${num(sd.held)}`, sd.held >= 19_500 && sd.failed === 0);
			add('idle', `≤ 6 KiB (6,144 B) JVM memory per connection`, `${num(sd.jvmBytesPerConnection)} B (heap ${num(sd.heapBytesPerConnection)} + native ${num(sd.nativeBytesPerConnection)}) at ${num(sd.held)}`, sd.jvmBytesPerConnection <= 6144, quick ? `at ${num(idle.connections)} connections, not 19,500` : '');
		}
	}

	const live = cases.live;
	if (live) {
		const cap = live.runs?.find((r) => r.label === 'target rate');
		const over = live.runs?.find((r) => r.label === 'over capacity');
		const err = (r) => (live.error ? `error: ${live.error}` : r?.error ? `error: ${r.error}` : 'not run');
		if (cap && !cap.error) {
			const min = cap.json.deliveredPerSubscriberPerSecond?.min;
			add('live', `${cap.subscribers} subscribers each get ≥ 0.98 × ${num(cap.rate)} events/s`, `min ${num(min)}/s (${num(min / cap.rate, 3)} of the rate)`, min >= 0.98 * cap.rate);
			add('live', 'p99 ≤ 20 ms + 100 ms batch interval = 120 ms', `${auto(cap.json.p99ms)} ms`, cap.json.p99ms <= 120);
		} else {
			add('live', 'subscribers each get ≥ 0.98 of the rate', '–', null, err(cap));
			add('live', 'p99 ≤ 120 ms', '–', null, err(cap));
		}
		if (over && !over.error) {
			add('live', `over capacity (${num(over.rate)}/s): dropped > 0`, `median ${num(over.json.droppedPerSubscriber?.median)} per subscriber`, over.json.droppedPerSubscriber?.median > 0);
			add('live', 'over capacity: p99 ≤ 1 s', `${auto(over.json.p99ms)} ms`, over.json.p99ms <= 1000);
		} else {
			add('live', 'over capacity: dropped > 0', '–', null, err(over));
			add('live', 'over capacity: p99 ≤ 1 s', '–', null, err(over));
		}
	}

	const st = cases.startup;
	if (st?.error || (st && !st.summary)) add('startup', '≤ 1.5 s wall time to "Started"', '–', null, `error: ${st.error ?? 'no figures'}`);
	for (const [name, s] of Object.entries(st?.summary ?? {})) {
		const row = `startup (${s.label})`;
		const why = s.error ?? st.runs.find((r) => r.contender === name && r.error)?.error ?? 'no figures';
		if (!s.wall) add(row, '≤ 1.5 s wall time to "Started"', '–', null, `error: ${why}`);
		else add(row, '≤ 1.5 s wall time to "Started"', `${range(s.wall, (x) => num(x, 2))} s`, s.wall.median <= 1.5);
	}
	return rows;
}

// ---------------------------------------------------------------------------------------------
// Markdown

const cell = (x) => String(x ?? '').split('\n')[0].replaceAll('|', '\\|');
const table = (head, rows) =>
	[`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

const metLabel = (t) => (t.met === true ? '**met**' : t.met === false ? '**not met**' : t.note || 'n/a');

export function markdown(results) {
	const { meta, config } = results;
	const out = [];
	out.push(`# SocketDeck benchmark, ${meta.date.slice(0, 16).replace('T', ' ')} UTC${config.quick ? ' (quick)' : ''}`);
	out.push('');
	out.push(`- **Machine:** ${meta.cpu}, ${meta.cores} cores, ${num(meta.memoryGiB, 1)} GiB memory, ${meta.kernel}`);
	out.push(`- **Java:** ${meta.javaVersion} (\`${meta.java}\`)`);
	out.push(`- **Node:** ${meta.node}; **gcc:** ${meta.gcc}`);
	out.push(`- **App:** \`${meta.jar}\`${meta.git ? ` (working tree: ${meta.git})` : ''}`);
	out.push(`- **Mode:** ${config.describe}`);
	out.push(`- **Cases:** ${config.cases.join(', ')}`);
	out.push('');
	out.push('Figures are medians over the rounds, with (min–max) where there is more than one round. Ratios are taken per round ' +
		'(round r\'s SocketDeck figure over round r\'s reference figure) and then summarised.');

	for (const name of config.cases) {
		const c = results.cases[name];
		if (!c) continue;
		out.push('');
		out.push(`## ${name}: ${c.title ?? ''}`);
		out.push('');
		if (c.error) {
			out.push(`**Error:** ${c.error.split('\n')[0]}`);
			if (!c.rounds && !c.runs && !c.socketdeck) continue;
			out.push('');
		}
		for (const n of c.notes ?? []) out.push(`- ${n}`);
		if (c.notes?.length) out.push('');
		if (c.kind in KINDS) caseTables(out, c);
		else if (name === 'idle') idleTables(out, c);
		else if (name === 'live') liveTables(out, c, results);
		else if (name === 'startup') startupTables(out, c);
	}

	out.push('');
	out.push('## Targets');
	out.push('');
	out.push(table(['case', 'target', 'measured', 'result'], results.targets.map((t) => [t.case, t.target, t.measured, metLabel(t)])));
	out.push('');
	return out.join('\n');
}

function caseTables(out, c) {
	const metrics = KINDS[c.kind].metrics;
	const [main, ...rest] = metrics;
	const rows = c.contenders.map((name) => {
		const s = c.summary[name];
		const failed = s.failed ? ` (${s.failed} failed)` : '';
		return [name + failed, range(s[main.key], main.fmt), ...rest.map((m) => (s[m.key] ? m.fmt(s[m.key].median) : '–'))];
	});
	out.push(table(['contender', `${main.label}: median (min–max)`, ...rest.map((m) => `${m.label} (median)`)], rows));
	if (c.ratios?.length) {
		out.push('');
		out.push(table(['ratio (per round)', 'median', 'min–max', 'rounds'],
			c.ratios.map((r) => [`${r.num} / ${r.den}`, times(r.median), r.n ? `${times(r.min)}–${times(r.max)}` : '–', r.perRound.map((x) => (x == null ? '–' : num(x, 2))).join(', ')])));
	}
	const errors = c.rounds.flatMap((r) => Object.entries(r.results).filter(([, row]) => row.error).map(([n, row]) => `round ${r.round} ${n}: ${row.error.split('\n')[0]}`));
	if (errors.length) {
		out.push('');
		for (const e of errors.slice(0, 10)) out.push(`- failed: ${e}`);
	}
}

function idleTables(out, c) {
	const rows = [];
	const sd = c.socketdeck;
	if (sd) rows.push(['socketdeck', num(c.connections), num(sd.held), num(sd.failed), num(sd.openSeconds, 2), num(sd.heapBytesPerConnection), num(sd.nativeBytesPerConnection), num(sd.jvmBytesPerConnection)]);
	const ce = c['c-epoll'];
	if (ce) rows.push(['c-epoll', num(c.connections), ce.error ? `error: ${ce.error.split('\n')[0]}` : num(ce.held), num(ce.failed), num(ce.openSeconds, 2), '–', '–', '–']);
	out.push(table(['contender', 'connections', 'held', 'failed', 'open + echo s', 'heap B/conn', 'native (NMT non-heap) B/conn', 'JVM B/conn'], rows));
	if (sd?.before && sd?.after) {
		const mib = (b) => `${num(b / 1048576, 1)} MiB`;
		out.push('');
		out.push(`- live heap (class histogram after a full GC): ${mib(sd.before.liveHeapBytes)} → ${mib(sd.after.liveHeapBytes)}; ` +
			`NMT committed: ${mib(sd.before.nmtCommittedBytes)} → ${mib(sd.after.nmtCommittedBytes)}, of which Java heap ${mib(sd.before.nmtHeapCommittedBytes)} → ${mib(sd.after.nmtHeapCommittedBytes)}`);
		out.push('- JVM B/conn = (live heap delta + NMT committed-minus-heap delta, if that is positive) / connections held');
		if (sd.nmtDeltas?.length) {
			out.push(`- NMT non-heap changes: ${sd.nmtDeltas.slice(0, 6).map((d) => `${d.category} ${d.bytes > 0 ? '+' : ''}${num(d.bytes / 1024)} KiB`).join(', ')}`);
		}
		if (sd.topGrowth?.length) {
			out.push('');
			out.push(table(['class (largest live-heap growth)', 'instances', 'bytes', 'B/conn'],
				sd.topGrowth.map((g) => [`\`${g.class}\``, num(g.instances), num(g.bytes), num(g.bytes / sd.held)])));
		}
	}
}

function liveTables(out, c, results) {
	const rows = (c.runs ?? []).map((r) => {
		if (r.error) return [r.label, num(r.rate), num(r.subscribers), `error: ${r.error.split('\n')[0]}`, '', '', '', '', '', '', '', ''];
		const j = r.json;
		const d = j.deliveredPerSubscriberPerSecond ?? {};
		return [r.label, num(r.rate), num(j.subscribers), num(j.sent / j.seconds), `${num(d.min)} / ${num(d.median)} / ${num(d.max)}`, num(j.deliveredTotalPerSecond),
			`${num(j.droppedPerSubscriber?.median)} (${num(j.droppedPerSubscriber?.max)})`, auto(j.batchesPerSubscriberPerSecond), auto(j.p50ms), auto(j.p99ms), `${auto(j.p999ms)} / ${auto(j.maxms)}`,
			`${num(r.appCores, 2)} / ${num(r.clientCores, 2)}`];
	});
	out.push(table(['run', 'rate/s', 'subscribers', 'sent/s', 'delivered/subscriber/s min / median / max', 'delivered total/s', 'dropped/subscriber median (max)', 'batches/subscriber/s', 'p50 ms', 'p99 ms', 'p99.9 / max ms', 'CPU cores busy: app / client'], rows));
	out.push('');
	out.push(`- CPU cores busy: CPU time over wall time of the client's whole run (set-up included); this machine has ${results.meta.cores}. The client decodes every batch for every subscriber.`);
}

function startupTables(out, c) {
	const rows = Object.entries(c.summary).map(([name, s]) => {
		if (s.error) return [`${name} (${s.label})`, `error: ${s.error.split('\n')[0]}`, '', ''];
		return [`${name} (${s.label})`, `${s.starts - s.failed}${s.failed ? ` (${s.failed} failed)` : ''}`, range(s.wall, (x) => num(x, 2)), range(s.spring, (x) => num(x, 3))];
	});
	out.push(table(['contender', 'starts', 'wall time from spawn to "Started" s: median (min–max)', 'Spring\'s "Started … in" s: median (min–max)'], rows));
	out.push('');
	out.push(`- in order: ${c.runs.map((r) => `${r.contender} ${r.error ? 'failed' : `${num(r.wallSeconds, 2)} s`}`).join(', ')}`);
	for (const [name, s] of Object.entries(c.summary)) {
		if (s.command) out.push(`- ${name}: \`${s.command}\` + the app's arguments${s.seconds ? ` (the cache was made by scripts/aot-cache.sh in ${num(s.seconds, 1)} s)` : ''}`);
	}
	for (const r of c.runs.filter((x) => x.error)) out.push(`- failed: ${r.contender}: ${r.error.split('\n')[0]}`);
}
