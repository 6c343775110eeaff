/**
 * End to end: the tenant's request to the tenant's webhook receiving `read`, over several numbers
 * at 1,000 mps, the dispatcher holding every limit — and the same through no gateway at all (the
 * load generator sending straight to the emulator, holding the numbers' throughput itself, reads
 * arriving straight from the emulator), the baseline it is compared with.
 */
import type { Sender } from '../load/protocol.js';
import type { BenchStack } from '../lib/bench-stack.js';
import { costPerMessage, dbCounters, walByRelation } from '../lib/cost.js';
import { cpuShare, sampleCpu } from '../lib/proc-stats.js';
import { sampleQueueDepths } from '../lib/queue-depths.js';
import type { EndToEndPhase } from '../lib/results.js';
import type { Sizes } from '../sizes.js';
import { quiet } from './accept.js';
import type { World } from './setup-world.js';

/** What the direct sender allows itself per number: the dispatcher's own margin (95 % of 1,000). */
const DIRECT_PACE_MPS = 950;

/** Called exactly around the load (after the wait for a quiet machine), e.g. to profile it. */
export interface LoadHooks {
  beforeLoad?: () => Promise<void>;
  afterLoad?: () => Promise<void>;
}

async function run(stack: BenchStack, sizes: Sizes, origin: string, senders: Sender[], recipientBlock: number, paceMps: number, hooks: LoadHooks = {}) {
  const groups = stack.cpuGroups();
  await quiet(groups, sizes);
  const dbBefore = await dbCounters(stack.pg.sql);
  await hooks.beforeLoad?.();
  const before = sampleCpu(groups);
  const result = await stack.loadgen.endToEnd({
    origin,
    senders,
    connections: sizes.e2e.connections,
    window: sizes.e2e.window,
    warmupMs: sizes.e2e.warmupMs,
    durationMs: sizes.e2e.durationMs,
    drainMs: sizes.e2e.drainMs,
    recipientBlock,
    paceMps,
  });
  const after = sampleCpu(groups);
  await hooks.afterLoad?.();
  // The job drains until every accepted message's read has arrived: its work is all in the window.
  // Direct to the emulator the platform's database has no part (its counters are not waited for).
  const viaPlatform = origin === stack.platformUrl;
  const dbAfter = viaPlatform ? await dbCounters(stack.pg.sql, true) : dbBefore;
  const cost = costPerMessage(result.accepted, before, after, dbBefore, dbAfter);
  if (viaPlatform && sizes.walDetail) cost.walByRelation = await walByRelation(stack.pg.sql, dbBefore, dbAfter, result.accepted);
  return { result, cpu: cpuShare(before, after), cost };
}

/**
 * @param recipientBlock recipients of a run are a block of their own, so a second run (the profiled
 *   one) starts with no conversation windows open, as the first did.
 */
export async function endToEndPhase(stack: BenchStack, sizes: Sizes, world: World, recipientBlock = 100, hooks: LoadHooks = {}): Promise<EndToEndPhase> {
  const senders = world.e2eNumbers.map((id) => ({ phoneNumberId: id, token: world.e2eTenant.api_key }));
  const { sql } = stack.pg;
  const since = new Date();
  const depths = sampleQueueDepths(sql, world.e2eNumbers);
  const { result, cpu, cost } = await run(stack, sizes, stack.platformUrl, senders, recipientBlock, 0, hooks);
  const queueDepths = await depths.stop();
  // Meta's webhooks to the platform in this phase: how many, how many changes, how fast processed.
  const [inbound] = await sql<{ events: number; changes: number; seconds: number }[]>`
    select count(*)::int as events, coalesce(sum(changes), 0)::int as changes,
      coalesce(extract(epoch from max(processed_at) - min(received_at)), 0)::float8 as seconds
    from (
      select received_at, processed_at,
        (select coalesce(sum(json_array_length(e->'changes')), 0) from json_array_elements(body->'entry') e) as changes
      from inbound_events where received_at >= ${since}) t`;
  const throttled = await sql<{ code: number; n: number }[]>`
    select a.meta_code as code, count(*)::int as n from message_attempts a join messages m on m.id = a.message_id
    where m.phone_number_id = any(${world.e2eNumbers}::text[]) and a.meta_code in (130429, 131056, 4, 80007)
    group by a.meta_code`;
  const [peak] = await sql<{ n: number }[]>`
    select coalesce(max(n), 0)::int as n from (
      select count(*) as n from message_attempts a join messages m on m.id = a.message_id
      where m.phone_number_id = any(${world.e2eNumbers}::text[]) and a.outcome = 'sent'
      group by m.phone_number_id, date_trunc('second', a.started_at)) per_second`;
  return {
    label: `end to end via the platform, ${senders.length} numbers`,
    numbers: senders.length,
    result,
    cpu,
    cost,
    throttledByMeta: Object.fromEntries(throttled.map((r) => [String(r.code), r.n])),
    peakPerNumberPerSecond: peak!.n,
    queueDepths,
    inboundWebhooks: {
      events: inbound!.events,
      changes: inbound!.changes,
      changesPerSecond: inbound!.seconds > 0 ? Math.round(inbound!.changes / inbound!.seconds) : 0,
    },
  };
}

export async function directPhase(stack: BenchStack, sizes: Sizes, world: World): Promise<EndToEndPhase> {
  const { result, cpu, cost } = await run(stack, sizes, stack.emulatorUrl, world.direct, 200, DIRECT_PACE_MPS);
  return { label: `end to end direct to the emulator (no gateway), ${world.direct.length} numbers`, numbers: world.direct.length, result, cpu, cost };
}
