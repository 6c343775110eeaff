/**
 * Accept: tenant API sends per second and their latency at a fixed number of connections, each
 * answer a durable commit. Dispatch from the numbers is parked (see lib/park-dispatch.ts), and
 * the queue they leave is emptied afterwards so phases do not add up. The bare-server baseline
 * runs the same job against bench/bare-server.ts.
 */
import type { BenchStack } from '../lib/bench-stack.js';
import { costPerMessage, dbCounters, walByRelation } from '../lib/cost.js';
import { dispatchedFrom, dropQueued } from '../lib/park-dispatch.js';
import { cpuShare, sampleCpu, waitForQuiet, type CpuGroups } from '../lib/proc-stats.js';
import { spawnTs } from '../lib/processes.js';
import type { LoadPhase } from '../lib/results.js';
import { storedMessages } from '../lib/seed.js';
import type { Sizes } from '../sizes.js';
import type { Tenant } from '../lib/world.js';

export interface AcceptOptions {
  label: string;
  tenant: Tenant;
  numbers: string[];
  recipientBlock: number;
  durationMs?: number;
  /** Run once the machine is quiet, just before the load starts / right after it ends (profiling). */
  beforeLoad?: () => Promise<void>;
  afterLoad?: () => Promise<void>;
}

export async function acceptPhase(stack: BenchStack, sizes: Sizes, options: AcceptOptions): Promise<LoadPhase> {
  const { sql } = stack.pg;
  const since = new Date();
  const storedAtStart = await storedMessages(sql);
  const groups = stack.cpuGroups();
  await quiet(groups, sizes);
  const [last] = await stack.pg.sql<{ id: string }[]>`select coalesce(max(id), 0)::text as id from messages`;
  const dbBefore = await dbCounters(sql);
  await options.beforeLoad?.();
  const before = sampleCpu(groups);
  const result = await stack.loadgen.load({
    origin: stack.platformUrl,
    senders: options.numbers.map((id) => ({ phoneNumberId: id, token: options.tenant.api_key })),
    connections: sizes.connections,
    warmupMs: sizes.warmupMs,
    durationMs: options.durationMs ?? sizes.durationMs,
    recipientBlock: options.recipientBlock,
  });
  const after = sampleCpu(groups);
  const cpu = cpuShare(before, after);
  await options.afterLoad?.();
  // Read before the queue the phase left is dropped, whose deletes are not the phase's work.
  const dbAfter = await dbCounters(sql, true);
  // Each accepted message's row carries the id of the transaction that committed it (xmin).
  const [batches] = await stack.pg.sql<{ rows: number; commits: number }[]>`
    select count(*)::int as rows, count(distinct xmin::text)::int as commits from messages where id > ${last!.id}::bigint`;
  if (Object.keys(result.failures).length > 0) {
    const errors = stack.platform.stdout.filter((l) => /"level":(50|60)/.test(l) && l.includes('"err"')).slice(-3);
    if (errors.length > 0) process.stdout.write(`platform errors during "${options.label}":\n${errors.map((e) => e.slice(0, 1_500)).join('\n')}\n`);
  }
  const leaked = await dispatchedFrom(sql, options.numbers, since);
  if (leaked > 0) throw new Error(`${leaked} messages were dispatched from parked numbers: the lease key no longer matches the dispatcher's`);
  await dropQueued(sql, options.numbers);
  await sql.unsafe('vacuum send_queue');
  const messagesPerCommit = Math.round((batches!.rows / Math.max(1, batches!.commits)) * 10) / 10;
  // Every statement outside an explicit transaction is a transaction of its own: per accepted
  // message, the transactions count the platform's round trips that group commit does not amortise.
  const cost = costPerMessage(batches!.rows, before, after, dbBefore, dbAfter);
  if (sizes.walDetail) cost.walByRelation = await walByRelation(sql, dbBefore, dbAfter, batches!.rows);
  return { label: options.label, numbers: options.numbers.length, storedAtStart, result, cpu, messagesPerCommit, cost };
}

export async function barePhase(stack: BenchStack, sizes: Sizes): Promise<LoadPhase> {
  const bare = spawnTs('bare server', 'bare-server.ts');
  try {
    const line = await bare.waitForLine(/bare server listening on/);
    const origin = line.slice(line.indexOf('http://')).trim();
    const groups = stack.cpuGroups({ 'bare server': bare.pid });
    await quiet(groups, sizes);
    const before = sampleCpu(groups);
    const result = await stack.loadgen.load({
      origin,
      senders: [{ phoneNumberId: '1234567890', token: 'bare' }],
      connections: sizes.connections,
      warmupMs: sizes.warmupMs,
      durationMs: sizes.durationMs,
      recipientBlock: 0,
    });
    const cpu = cpuShare(before, sampleCpu(groups));
    return { label: 'bare node:http server (one process)', numbers: 1, storedAtStart: 0, result, cpu };
  } finally {
    await bare.stop(5_000);
  }
}

/** Waits for the machine to go quiet (bounded), and says so when it did not. */
export async function quiet(groups: CpuGroups, sizes: Sizes): Promise<void> {
  const t0 = Date.now();
  const share = await waitForQuiet(groups, sizes.quietWaitMs);
  const waited = Math.round((Date.now() - t0) / 1_000);
  const busy = Object.entries(share).filter(([name, p]) => p > (name === 'other' ? 25 : 5));
  if (busy.length > 0) process.stdout.write(`  (still busy: ${busy.map(([n, p]) => `${n} ${p} %`).join(', ')} of a core; measuring anyway after ${waited} s)\n`);
  else if (waited > 3) process.stdout.write(`  (waited ${waited} s for the machine to go quiet)\n`);
}
