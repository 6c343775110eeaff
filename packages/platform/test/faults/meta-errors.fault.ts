/**
 * Meta failing: 5xx answers (500 and 503) and throttling (HTTP 429 code 4, and 130429 "throughput
 * reached") on a share of sends, seeded so a run is repeatable. Every accepted message is retried
 * until Meta takes it, exactly once (an error answer means Meta did not act on the request).
 */
import { afterEach, expect, it } from 'vitest';
import { expectNothingLost, FAULT_CONCURRENCY, FAULT_COUNT, report, sendLoad, settle, tally } from './fault-load.js';
import { startFaultWorld, type FaultWorld } from './fault-world.js';

let world: FaultWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SENDS = { method: 'POST', path: '/:id/messages' };

it('retries 5xx answers until every message is sent once', async () => {
  world = await startFaultWorld();
  await world.addFaults([
    { match: SENDS, status: 500, error_rate: 0.2, seed: 11 },
    { match: SENDS, status: 503, error_rate: 0.1, seed: 12 },
  ]);
  const accepted = await sendLoad(world, { count: FAULT_COUNT, concurrency: FAULT_CONCURRENCY, prefix: 'e5xx' });
  await world.clearFaults();
  await settle(world, accepted);
  const t = await tally(world, accepted);
  report('Meta 5xx (20 % 500, 10 % 503)', t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
  const [retried] = await world.sql<{ n: number }[]>`select count(*)::int as n from message_attempts where outcome = 'retry' and http_status >= 500`;
  expect(retried!.n).toBeGreaterThan(0);
});

it('backs off on 429 and 130429 and sends every message once', async () => {
  world = await startFaultWorld();
  await world.addFaults([
    { match: SENDS, status: 429, error_rate: 0.15, seed: 21 },
    { match: SENDS, code: 130429, error_rate: 0.15, seed: 22 },
  ]);
  const accepted = await sendLoad(world, { count: FAULT_COUNT, concurrency: FAULT_CONCURRENCY, prefix: 'e429' });
  await world.clearFaults();
  await settle(world, accepted);
  const t = await tally(world, accepted);
  report('Meta 429 / 130429 (15 % each)', t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
  const throttled = await world.sql<{ code: number }[]>`select distinct meta_code as code from message_attempts where outcome = 'retry'`;
  expect(throttled.map((r) => r.code)).toEqual(expect.arrayContaining([4, 130429]));
});
