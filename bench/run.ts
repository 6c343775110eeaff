/**
 * `npm run bench`: Switchboard's speed, measured so anyone can rerun it. PostgreSQL (embedded,
 * durable), the emulator, the platform and the load generator run as separate processes on
 * loopback; the phases, in order:
 *   1. bare: a bare node:http server answering the same request (the ceiling for one process);
 *      then a discarded accept run to warm the platform up;
 *   2. accept: tenant API sends/s and latency at fixed concurrency, 1 number, fresh database;
 *   3. accept over many numbers; accept with the platform as two processes (--workers 2);
 *   4. end to end via the platform (request → tenant webhook has `read`), numbers at 1,000 mps;
 *   5. end to end direct to the emulator (no gateway);
 *   6. growth: accept again with more stored messages (rows made with SQL);
 *   7. profile: accept with V8's profiler on the platform, summarised by self time;
 *   8. memory: platform RSS with many messages queued and not yet dispatchable.
 * Prints a table and writes the whole run as JSON (bench-results/, or --out).
 *
 *   npm run bench                      # full size (the issue's: 0/1M/10M stored, 1 vs 1,000 numbers)
 *   npm run bench -- --size small      # minutes, for CI and development
 *   npm run bench -- --only accept,e2e # some phases (bare, accept, numbers, workers, e2e, direct, growth, profile, e2e-profile, memory)
 *   npm run bench -- --connections 256 # another fixed concurrency for the accept phases (default 64)
 *   npm run bench -- --workers 2       # the platform as two processes in every phase (default one)
 *   npm run bench -- --pg-stats        # PostgreSQL's costliest statements per phase (pg_stat_statements)
 *   npm run bench -- --wal             # the accept and end-to-end phases' WAL per message by relation (pg_walinspect)
 */
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchStack, type BenchStack } from './lib/bench-stack.js';
import { describeMachine } from './lib/machine.js';
import { parkDispatch } from './lib/park-dispatch.js';
import { resetStatementStats, topStatements } from './lib/postgres.js';
import { ROOT } from './lib/processes.js';
import { computeRatios, costTable, cpuTable, statementTable, evaluateTargets, profileTable, queueDepthTable, table, walTable } from './lib/report.js';
import type { RunReport } from './lib/results.js';
import { acceptPhase, barePhase } from './scenarios/accept.js';
import { directPhase, endToEndPhase } from './scenarios/end-to-end.js';
import { formatCount, growthPoint } from './scenarios/growth.js';
import { memoryPhase } from './scenarios/memory.js';
import { endToEndProfilePhase, profilePhase } from './scenarios/profile.js';
import { setupWorld } from './scenarios/setup-world.js';
import { SIZES } from './sizes.js';

const PHASES = ['bare', 'accept', 'numbers', 'workers', 'e2e', 'direct', 'growth', 'profile', 'e2e-profile', 'memory'] as const;

const { values } = parseArgs({
  options: { size: { type: 'string', default: 'full' }, out: { type: 'string' }, only: { type: 'string' }, connections: { type: 'string' }, workers: { type: 'string' }, 'pg-stats': { type: 'boolean', default: false }, wal: { type: 'boolean', default: false } },
});
if (values.size !== 'small' && values.size !== 'full') throw new Error('--size must be small or full');
const sizes = {
  ...SIZES[values.size],
  ...(values.connections ? { connections: Number(values.connections) } : {}),
  ...(values.workers ? { workers: Number(values.workers) } : {}),
  ...(values.wal ? { walDetail: true } : {}),
};
if (!Number.isInteger(sizes.connections) || sizes.connections < 1) throw new Error('--connections must be a positive integer');
if (!Number.isInteger(sizes.workers) || sizes.workers < 1) throw new Error('--workers must be a positive integer');
const only = new Set(values.only ? values.only.split(',') : PHASES);
for (const p of only) if (!(PHASES as readonly string[]).includes(p)) throw new Error(`unknown phase ${p}; phases: ${PHASES.join(', ')}`);
// Growth's first point is the accept run.
if (only.has('growth')) only.add('accept');

const started = Date.now();
const log = (line: string) => process.stdout.write(`[${((Date.now() - started) / 1_000).toFixed(0).padStart(4)} s] ${line}\n`);
const date = new Date().toISOString();
const outDir = join(ROOT, 'bench-results');
const outFile = values.out ?? join(outDir, `bench-${sizes.name}-${date.replace(/[:.]/g, '-')}.json`);

const machine = describeMachine();
const commit = (() => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    // Uncommitted changes to what runs (sources, migrations, the bin) mean the figures are not the commit's.
    const paths = ['packages/*/src', 'packages/*/migrations', 'packages/cli/bin'];
    const dirty = execFileSync('git', ['status', '--porcelain', '--', ...paths], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return `${head}${dirty ? ' (with uncommitted changes to the sources)' : ''}`;
  } catch {
    return 'unknown';
  }
})();
log(`Switchboard benchmark at ${commit}, size ${sizes.name}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}, load ${machine.loadAverageAtStart}`);

let stack: BenchStack | undefined;
const durationsMs: Record<string, number> = {};
const statements: NonNullable<RunReport['statements']> = {};
async function phase<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  log(`${name}…`);
  if (values['pg-stats'] && stack) await resetStatementStats(stack.pg.sql);
  const result = await fn();
  if (values['pg-stats'] && stack) statements[name] = await topStatements(stack.pg.sql);
  durationsMs[name] = Date.now() - t0;
  return result;
}

try {
  stack = await startBenchStack(log, { workers: sizes.workers, statementStats: values['pg-stats'] });
  const s = stack;
  const report: RunReport = {
    date,
    commit,
    size: sizes.name,
    machine,
    postgres: { version: s.pg.version, settings: s.pg.settings },
    durationsMs,
    ...(values['pg-stats'] ? { statements } : {}),
    growth: [],
    ratios: {},
    targets: [],
  };
  const world = await phase('setup', () => setupWorld(s, sizes, log));
  const parked = await parkDispatch(s.pg.sql, world.acceptNumbers);

  if (only.has('bare')) report.bare = await phase('bare server', () => barePhase(s, sizes));
  // A discarded accept run first: JIT, caches and connection pools warm, whichever phase comes first.
  const warmUp = (recipientBlock: number) =>
    acceptPhase(s, sizes, { label: 'warm-up', tenant: world.acceptTenant, numbers: world.acceptNumbers.slice(0, 1), recipientBlock, durationMs: sizes.warmupMs * 3 });
  await phase('warm-up (not recorded)', () => warmUp(3));
  if (only.has('accept')) {
    report.accept = await phase('accept, 1 number', () =>
      acceptPhase(s, sizes, { label: `accept, 1 number, ${formatCount(sizes.stored[0]!)} stored`, tenant: world.acceptTenant, numbers: world.acceptNumbers.slice(0, 1), recipientBlock: 1 }),
    );
    report.growth.push(report.accept);
  }
  if (only.has('numbers')) {
    report.acceptManyNumbers = await phase(`accept, ${world.acceptNumbers.length} numbers`, () =>
      acceptPhase(s, sizes, { label: `accept, ${world.acceptNumbers.length} numbers`, tenant: world.acceptTenant, numbers: world.acceptNumbers, recipientBlock: 2 }),
    );
  }
  if (only.has('workers')) {
    // The same accept point with the platform as processes of its own (switchboard serve --workers).
    const workers = sizes.workers === 1 ? 2 : 1;
    await s.restartPlatform([], { workers });
    report.acceptWorkers = await phase(`accept, ${workers} platform processes`, () =>
      acceptPhase(s, sizes, {
        label: `accept, 1 number, ${workers === 1 ? 'one platform process' : `${workers} platform processes`}`,
        tenant: world.acceptTenant,
        numbers: world.acceptNumbers.slice(0, 1),
        recipientBlock: 4,
      }),
    );
    await s.restartPlatform();
    // The restarted platform warms again before the next measured phase.
    await warmUp(5);
  }
  if (only.has('e2e')) report.endToEnd = await phase('end to end via the platform', () => endToEndPhase(s, sizes, world));
  if (only.has('direct')) report.direct = await phase('end to end direct to the emulator', () => directPhase(s, sizes, world));
  if (only.has('growth')) {
    for (const [i, stored] of sizes.stored.slice(1).entries()) {
      report.growth.push(await phase(`growth to ${formatCount(stored)} stored`, () => growthPoint(s, sizes, world, stored, i + 1, log)));
    }
  }
  if (only.has('profile')) report.profile = await phase('profile of accept', () => profilePhase(s, sizes, world, join(outDir, 'profiles')));
  if (only.has('e2e-profile')) {
    report.profileEndToEnd = await phase('profile of end to end', () => endToEndProfilePhase(s, sizes, world, join(outDir, 'profiles')));
  }
  if (only.has('memory')) report.memory = await phase(`memory with ${formatCount(sizes.queued)} queued`, () => memoryPhase(s, sizes, world, log));
  await parked.release();

  computeRatios(report);
  report.targets = evaluateTargets(report);
  await mkdir(outDir, { recursive: true });
  await writeFile(outFile, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${table(report)}\n\n${cpuTable(report)}\n\n${costTable(report)}\n\n${queueDepthTable(report)}\n\n${walTable(report)}\n\n${profileTable(report)}\n\n${statementTable(report)}`);
  if (sizes.name !== 'full') process.stdout.write('(size small: not the targets’ conditions; run the full size for the figures in docs/benchmarks.md)\n');
  log(`done; the run is in ${outFile}`);
} finally {
  await stack?.close();
}
