/**
 * Meta slow or silent:
 * - dropped connections (a share of sends held, then cut without an answer): the outcome is
 *   unknown, Meta never had the message, the retry after the grace period sends it once;
 * - slow answers within the platform's 15 s Graph timeout: nothing is retried;
 * - late answers, after the timeout, for sends made during a short window: the outcome is
 *   unknown and the message is retried after a 1 s grace. A duplicate would be allowed here (and
 *   counted) — but the emulator drops a request whose client has gone before its injected latency
 *   has passed (its handler never runs), so Meta never has the first copy and none occurs. The
 *   case "Meta acted, the answer was lost" is exercised by the kill -9 scenario with a short grace
 *   (kill-platform.fault.ts).
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('resends what Meta never received after a dropped connection, once', async () => {
  // Meta never had these: no status will come, so a short grace only saves test time.
  world = await startFaultWorld({ unknownOutcomeGraceSeconds: 3 });
  await world.addFaults({ match: SENDS, timeout: true, timeout_ms: 1_000, error_rate: 0.1, seed: 31 });
  const accepted = await sendLoad(world, { count: FAULT_COUNT, concurrency: FAULT_CONCURRENCY, prefix: 'drop' });
  await world.clearFaults();
  await settle(world, accepted);
  const t = await tally(world, accepted);
  report('Meta drops 10 % of connections unanswered', t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
  expect(t.unknownOutcome.size).toBeGreaterThan(0);
});

it('waits for slow answers within the timeout without retrying', async () => {
  world = await startFaultWorld();
  await world.addFaults({ match: SENDS, latency_ms: 300 });
  const accepted = await sendLoad(world, { count: FAULT_COUNT, concurrency: FAULT_CONCURRENCY, prefix: 'slow' });
  await world.clearFaults();
  await settle(world, accepted);
  const t = await tally(world, accepted);
  report('Meta answers every send after 300 ms', t);
  expectNothingLost(t);
  expect(t.duplicates).toBe(0);
  expect(t.unknownOutcome.size).toBe(0);
});

it('counts the duplicates of answers that came after the timeout, and only those', async () => {
  world = await startFaultWorld({ unknownOutcomeGraceSeconds: 1 });
  const w = world;
  const accepted = await sendLoad(w, {
    count: FAULT_COUNT,
    concurrency: FAULT_CONCURRENCY,
    prefix: 'late',
    faults: [
      {
        afterAccepted: Math.floor(FAULT_COUNT / 3),
        run: async () => {
          // Sends in this 300 ms window are answered after 16.5 s, past the platform's 15 s timeout.
          await w.addFaults({ match: SENDS, latency_ms: 16_500 });
          await sleep(300);
          await w.clearFaults();
        },
      },
    ],
  });
  await settle(w, accepted);
  const t = await tally(w, accepted);
  report('Meta answers sends of a 300 ms window after 16.5 s (past the 15 s timeout)', t);
  expectNothingLost(t);
  expect(t.unknownOutcome.size).toBeGreaterThan(0);
});
