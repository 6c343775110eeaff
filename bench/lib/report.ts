/** The run's table (for the terminal and docs/benchmarks.md), its ratios and its targets. */
import type { EndToEndResult, LoadResult } from '../load/protocol.js';
import type { ProfileSummary } from './cpu-profile.js';
import type { LoadPhase, RunReport, Target } from './results.js';

const n = (x: number) => Math.round(x).toLocaleString('en-US');
const pct = (x: number) => `${Math.round(x * 1_000) / 10} %`;
const ms = (x: number) => `${x} ms`;

export function computeRatios(report: RunReport): void {
  const accept = report.accept?.result.rps;
  if (accept && report.bare) report.ratios.acceptToBare = accept / report.bare.result.rps;
  if (report.endToEnd && report.direct && report.direct.result.mps > 0) report.ratios.endToEndToDirect = report.endToEnd.result.mps / report.direct.result.mps;
  const first = report.growth[0]?.result;
  const last = report.growth.at(-1)?.result;
  if (first && last && report.growth.length > 1) {
    report.ratios.growthRps = last.rps / first.rps - 1;
    report.ratios.growthP99 = last.latencyMs.p99 / first.latencyMs.p99 - 1;
  }
}

export function evaluateTargets(report: RunReport): Target[] {
  const targets: Target[] = [];
  const a = report.accept?.result;
  if (a) {
    targets.push({ name: 'accept throughput', target: '≥ 10,000 /s', value: `${n(a.rps)} /s`, met: a.rps >= 10_000 });
    targets.push({ name: 'accept p99', target: '< 25 ms', value: ms(a.latencyMs.p99), met: a.latencyMs.p99 < 25 });
  }
  if (report.endToEnd) {
    const e = report.endToEnd.result;
    targets.push({ name: 'end to end', target: '≥ 2,000 msg/s', value: `${n(e.mps)} msg/s`, met: e.mps >= 2_000 });
  }
  if (report.ratios.acceptToBare !== undefined) {
    targets.push({ name: 'accept / bare server', target: '≥ 35 %', value: pct(report.ratios.acceptToBare), met: report.ratios.acceptToBare >= 0.35 });
  }
  if (report.growth.length > 1) {
    const rps = report.growth.map((g) => g.result.rps);
    const p99 = report.growth.map((g) => g.result.latencyMs.p99);
    const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / xs[0]!;
    const label = `${report.growth[0]!.label.split(', ').at(-1)} → ${report.growth.at(-1)!.label.split(', ').at(-1)}`;
    targets.push({ name: `accept throughput flat, ${label}`, target: 'within 15 %', value: `spread ${pct(spread(rps))}`, met: spread(rps) <= 0.15 });
    targets.push({ name: `accept p99 flat, ${label}`, target: 'within 15 %', value: `spread ${pct(spread(p99))}`, met: spread(p99) <= 0.15 });
  }
  if (report.memory) {
    const worst = Math.max(report.memory.rssQueuedIdleMb, report.memory.rssQueuedAfterLoadMb);
    targets.push({ name: `platform RSS, ${n(report.memory.queued)} queued`, target: '< 300 MB', value: `${worst} MB`, met: worst < 300 });
  }
  return targets;
}

function loadRow(p: LoadPhase | undefined, label?: string): string[] | undefined {
  if (!p) return undefined;
  const r: LoadResult = p.result;
  const failures = Object.entries(r.failures).map(([s, c]) => `${c}×${s}`).join(' ');
  const why = r.failureSample ? ` (${r.failureSample.slice(0, 120).replace(/\|/g, '/')})` : '';
  return [label ?? p.label, `${n(r.rps)} req/s`, ms(r.latencyMs.p50), ms(r.latencyMs.p99), ms(r.latencyMs.p999), `${n(r.requests)} in ${r.seconds} s${p.messagesPerCommit ? `, ${p.messagesPerCommit} msgs/commit` : ''}${p.cost ? `, ${p.cost.transactions} DB transactions/msg` : ''}${failures ? `; failed ${failures}${why}` : ''}`];
}

/**
 * With the window full, rate = window ÷ latency always (Little's law). The window, not the system,
 * set the rate when the latency stayed near its floor (the users' fixed delays), i.e. nothing
 * queued: the typical latency within 1.5 × the fastest one.
 */
function windowBound(r: EndToEndResult): boolean {
  const full = r.mps > 0.8 * (r.window / Math.max(0.001, r.latencyMs.p50 / 1_000));
  return full && r.latencyMs.p50 < 1.5 * r.latencyMs.min;
}

/** Markdown table (GitHub-flavoured), also readable in a terminal. */
export function table(report: RunReport): string {
  const rows: string[][] = [];
  const add = (row: string[] | undefined) => row && rows.push(row);
  add(loadRow(report.bare));
  for (const g of report.growth) add(loadRow(g));
  add(loadRow(report.acceptManyNumbers));
  add(loadRow(report.acceptWorkers));
  for (const e of [report.endToEnd, report.direct]) {
    if (!e) continue;
    const r = e.result;
    rows.push([
      e.label,
      `${n(r.mps)} msg/s`,
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p99),
      ms(r.latencyMs.p999),
      `${n(r.accepted)} sent, ${n(r.missingReads)} reads missing` +
        (e.peakPerNumberPerSecond !== undefined ? `, peak ${n(e.peakPerNumberPerSecond)}/s per number` : '') +
        (e.throttledByMeta ? `, Meta throttled ${Object.values(e.throttledByMeta).reduce((s, x) => s + x, 0)}` : '') +
        (windowBound(r) ? `; WINDOW-BOUND (${n(r.window)} in flight / ${ms(r.latencyMs.p50)})` : ''),
    ]);
  }
  if (report.memory) {
    const m = report.memory;
    rows.push([
      `platform RSS, ${n(m.queued)} queued`,
      `${Math.max(m.rssQueuedIdleMb, m.rssQueuedAfterLoadMb)} MB`,
      '',
      '',
      '',
      `${m.rssAtStartMb} MB at start, ${m.rssQueuedIdleMb} MB queued idle, ${m.rssQueuedAfterLoadMb} MB after load (peak ${m.peakMb} MB)`,
    ]);
  }
  const header = ['measurement', 'rate', 'p50', 'p99', 'p99.9', 'notes'];
  const lines = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`);
  const ratios = [
    report.ratios.acceptToBare !== undefined ? `accept / bare = ${pct(report.ratios.acceptToBare)}` : '',
    report.ratios.endToEndToDirect !== undefined ? `end-to-end / direct = ${pct(report.ratios.endToEndToDirect)}` : '',
    report.ratios.growthRps !== undefined ? `growth: throughput ${pct(report.ratios.growthRps)}, p99 ${pct(report.ratios.growthP99!)} (first → last stored size)` : '',
  ].filter(Boolean);
  const targets = report.targets.map((t) => `| ${t.name} | ${t.target} | ${t.value} | ${t.met ? 'met' : 'NOT met'} |`);
  return [
    ...lines,
    '',
    `Ratios: ${ratios.join('; ')}`,
    '',
    '| target | wanted | measured | |',
    '|---|---|---|---|',
    ...targets,
  ].join('\n');
}

export function cpuTable(report: RunReport): string {
  const phases = [report.bare, report.accept, report.acceptManyNumbers, report.acceptWorkers, report.endToEnd, report.direct, ...report.growth.slice(1)].filter(
    (p): p is NonNullable<typeof p> => p !== undefined,
  );
  const groups = [...new Set(phases.flatMap((p) => Object.keys(p.cpu)))];
  const rows = phases.map((p) => `| ${p.label} | ${groups.map((g) => (p.cpu[g] !== undefined ? `${p.cpu[g]} %` : '')).join(' | ')} |`);
  return [`| phase (CPU, 100 % = one core) | ${groups.join(' | ')} |`, `|---|${groups.map(() => '---').join('|')}|`, ...rows].join('\n');
}

/**
 * What a message cost: CPU per process (µs), and through the platform PostgreSQL's WAL, transactions
 * and row writes. The database columns depend on the code alone, so they compare runs on machines
 * of different speed; the CPU columns move with the machine but not with how busy it was.
 */
export function costTable(report: RunReport): string {
  const phases = [report.accept, ...report.growth.slice(1), report.acceptManyNumbers, report.acceptWorkers, report.endToEnd, report.direct].filter(
    (p): p is NonNullable<typeof p> => p?.cost !== undefined,
  );
  if (phases.length === 0) return '';
  const groups = [...new Set(phases.flatMap((p) => Object.keys(p.cost!.cpuUs)))].filter((g) => g !== 'bare server');
  const rows = phases.map((p) => {
    const c = p.cost!;
    const viaPlatform = p !== report.direct;
    const cpu = groups.map((g) => (c.cpuUs[g] !== undefined ? n(c.cpuUs[g]) : ''));
    const db = viaPlatform ? [n(c.walBytes), String(c.transactions), String(c.rowsWritten)] : ['', '', ''];
    return `| ${p.label} | ${n(c.messages)} | ${[...cpu, n(groups.reduce((sum, g) => sum + (c.cpuUs[g] ?? 0), 0)), ...db].join(' | ')} |`;
  });
  return [
    `| cost per message | messages | ${groups.map((g) => `${g} µs`).join(' | ')} | all µs | WAL bytes | DB transactions | rows written |`,
    `|---|---|${groups.map(() => '---').join('|')}|---|---|---|---|`,
    ...rows,
  ].join('\n');
}

/** With `--wal`: each platform phase's WAL per message by relation. */
export function walTable(report: RunReport): string {
  const phases = [report.accept, report.acceptManyNumbers, report.acceptWorkers, report.endToEnd].filter((p) => p?.cost?.walByRelation !== undefined);
  return phases
    .map((p) => {
      const shares = p!.cost!.walByRelation!;
      const total = shares.reduce((sum, r) => sum + r.bytes, 0);
      return [
        `WAL per message by relation, ${p!.label} (${n(total)} bytes):`,
        '',
        '| relation | records | bytes | share |',
        '|---|---|---|---|',
        ...shares.map((r) => `| ${r.relation} | ${r.records} | ${n(r.bytes)} | ${pct(r.bytes / Math.max(1, total))} |`),
      ].join('\n');
    })
    .join('\n\n');
}

export function queueDepthTable(report: RunReport): string {
  const d = report.endToEnd?.queueDepths;
  if (!d) return '';
  const rows = (['sendQueue', 'inboundUnprocessed', 'pendingStatuses', 'tenantEventsPending'] as const).map(
    (k) => `| ${k} | ${n(d.mean[k])} | ${n(d.max[k])} |`,
  );
  const w = report.endToEnd?.inboundWebhooks;
  const inbound = w ? `\nMeta's webhooks to the platform: ${n(w.events)} POSTs, ${n(w.changes)} changes, processed at ${n(w.changesPerSecond)} changes/s.` : '';
  return ['| end-to-end queue (platform) | mean depth | max depth |', '|---|---|---|', ...rows].join('\n') + inbound;
}

export function profileTable(report: RunReport): string {
  const part = (title: string, shares: Array<{ name: string; ms: number; percent: number }>, count: number) =>
    [`| ${title} | self ms | share of busy |`, '|---|---|---|', ...shares.slice(0, count).map((s) => `| ${s.name} | ${s.ms} | ${s.percent} % |`)].join('\n');
  const one = (heading: string, summary: ProfileSummary) =>
    [`${heading}, busy ${summary.busyMs} ms, idle ${summary.idleMs} ms.`, '', part('area', summary.byArea, 20), '', part('function', summary.byFunction, 25)].join('\n');
  const p = report.profile;
  const e = report.profileEndToEnd;
  return [
    ...(p ? [one(`Profiled accept run: ${n(p.result.rps)} req/s (profiler on)`, p.summary)] : []),
    ...(e ? [one(`Profiled end-to-end run: ${n(e.mps)} msg/s (profiler on)`, e.summary)] : []),
  ].join('\n\n');
}

/** With --pg-stats: each phase's costliest statements (total time, calls, mean, share). */
export function statementTable(report: RunReport): string {
  if (!report.statements) return '';
  const clip = (q: string) => (q.length > 110 ? `${q.slice(0, 107)}…` : q).replace(/\|/g, '\\|');
  return Object.entries(report.statements)
    .filter(([, rows]) => rows.length > 0)
    .map(([phase, rows]) =>
      [
        `PostgreSQL statements, ${phase}:`,
        '',
        '| statement | calls | total ms | mean ms | rows | share |',
        '|---|---|---|---|---|---|',
        ...rows.map((r) => `| ${clip(r.query)} | ${n(r.calls)} | ${Math.round(r.totalMs)} | ${r.meanMs.toFixed(3)} | ${n(r.rows)} | ${Math.round(r.share * 100)} % |`),
      ].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}
