/**
 * PostgreSQL stopped (fast shutdown: every session cut) and started again on the same data and
 * port while the platform accepts and dispatches. Clients retry what was refused meanwhile.
 *
 * Finding (kept visible here until it is fixed): the platform process does not survive this. It
 * exits with `TypeError: Cannot read properties of null (reading 'write')` at
 * `postgres/src/connection.js:255` (`nextWrite`, run from setImmediate after the connection's
 * socket was closed): postgres.js 3.4.9, porsager/postgres#1154 / #1208, unfixed upstream at this
 * version. The world restarts the platform as a service manager would, and the first test checks
 * that even so nothing accepted is lost; the second states the behaviour we want and is marked as
 * failing, so it starts passing (and vitest says so) once the crash is fixed.
 */
import { afterAll, expect, it } from 'vitest';
import { expectNothingLost, FAULT_CONCURRENCY, FAULT_COUNT, report, sendLoad, settle, tally } from './fault-load.js';
import { startFaultWorld, type FaultWorld } from './fault-world.js';

let world: FaultWorld | undefined;
afterAll(() => world?.close());

it('loses nothing across a PostgreSQL restart under load', async () => {
  world = await startFaultWorld();
  const w = world;
  const accepted = await sendLoad(w, {
    count: FAULT_COUNT,
    concurrency: FAULT_CONCURRENCY,
    prefix: 'pg',
    faults: [{ afterAccepted: Math.floor(FAULT_COUNT / 3), run: () => w.restartPostgres(2_000) }],
  });
  await settle(w, accepted);
  const t = await tally(w, accepted);
  report(`PostgreSQL restarted (down 2 s) under load; platform exits: ${w.crashes.length}`, t);
  for (const crash of w.crashes) console.log(`[faults] FINDING: the platform exited (${crash.exit}) when PostgreSQL restarted:\n${crash.stderr}`);
  expectNothingLost(t);
});

it.fails('keeps the platform running through a PostgreSQL restart (postgres.js 3.4.9 nextWrite crash)', () => {
  expect(world?.crashes).toEqual([]);
});
