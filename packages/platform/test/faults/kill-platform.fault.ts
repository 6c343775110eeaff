/**
 * kill -9 the platform several times while tenants send: nothing accepted is lost, and every
 * status still reaches the tenant. A message reaches Meta twice only if an attempt of it was in
 * flight when the process died (an unknown outcome). With the platform's default grace (60 s),
 * Meta's status webhooks reconcile those before any retry; with a 1 s grace, retries race the
 * statuses and some messages do reach Meta twice — each of them counted, and each one with an
 * unknown outcome on record.
 */
import { afterEach, expect, it } from 'vitest';
import { expectNothingLost, FAULT_CONCURRENCY, FAULT_COUNT, report, sendLoad, settle, tally, type Tally } from './fault-load.js';
import { startFaultWorld, type FaultWorld } from './fault-world.js';

const KILLS = process.env.CI ? 2 : 3;
let world: FaultWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function killsUnderLoad(graceSeconds: number | undefined, prefix: string): Promise<Tally> {
  world = await startFaultWorld({ unknownOutcomeGraceSeconds: graceSeconds });
  const w = world;
  let chain = Promise.resolve();
  const accepted = await sendLoad(w, {
    count: FAULT_COUNT,
    concurrency: FAULT_CONCURRENCY,
    prefix,
    // One restart at a time.
    faults: Array.from({ length: KILLS }, (_, k) => ({
      afterAccepted: Math.floor(((k + 1) * FAULT_COUNT) / (KILLS + 1)),
      run: () => (chain = chain.then(() => w.killAndRestartPlatform())),
    })),
  });
  await settle(w, accepted);
  const t = await tally(w, accepted);
  expect(w.crashes).toEqual([]);
  return t;
}

it(`loses nothing and sends nothing twice across ${KILLS} kill -9s (default 60 s grace)`, async () => {
  const t = await killsUnderLoad(undefined, 'kill');
  report(`kill -9 ×${KILLS}, default grace`, t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
});

it(`counts every duplicate, each after an unknown outcome, across ${KILLS} kill -9s with a 1 s grace`, async () => {
  const t = await killsUnderLoad(1, 'kill1s');
  report(`kill -9 ×${KILLS}, 1 s grace`, t);
  expectNothingLost(t);
  expect(t.duplicates).toBeLessThanOrEqual(t.unknownOutcome.size);
});
