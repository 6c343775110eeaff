/**
 * The tenant's receiver down (503) and then slow while messages flow: every status is still
 * delivered (at least once; a repeat is allowed and counted), and sending to Meta is unaffected.
 */
import { afterAll, expect, it } from 'vitest';
import { expectNothingLost, FAULT_CONCURRENCY, FAULT_COUNT, report, sendLoad, settle, tally } from './fault-load.js';
import { startFaultWorld, type FaultWorld } from './fault-world.js';

let world: FaultWorld | undefined;
afterAll(() => world?.close());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('delivers every status to a receiver that was down, then slow', async () => {
  world = await startFaultWorld();
  const w = world;
  const accepted = await sendLoad(w, {
    count: FAULT_COUNT,
    concurrency: FAULT_CONCURRENCY,
    prefix: 'rcv',
    faults: [
      {
        afterAccepted: Math.floor(FAULT_COUNT / 4),
        run: async () => {
          w.receiver.mode = 'down';
          await sleep(6_000);
          w.receiver.slowMs = 2_000;
          w.receiver.mode = 'slow';
          await sleep(6_000);
          w.receiver.mode = 'up';
        },
      },
    ],
  });
  await settle(w, accepted);
  const t = await tally(w, accepted);
  report('tenant receiver down 6 s (503), then answering after 2 s for 6 s', t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
  expect(w.receiver.refused).toBeGreaterThan(0);
});
