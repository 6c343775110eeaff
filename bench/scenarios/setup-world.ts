/**
 * The tenants, numbers and receivers every phase uses, made once per run:
 * - tenant "accept": N numbers (1 used alone, all for the many-numbers point), dispatch parked;
 * - tenant "e2e": numbers at HIGH throughput (1,000 mps each), its webhook receiver in the load
 *   generator, registered with `POST /{waba-id}/subscribed_apps` (override_callback_uri);
 * - tenant "memory": one number that will hold the queued-but-not-due messages;
 * - a second Meta app, not the platform's, whose numbers the load generator sends to directly and
 *   whose webhooks go straight to the receiver (the no-gateway baseline).
 * All business portfolios are TIER_UNLIMITED; recipients are distinct per message, so neither the
 * messaging limit, the 24 h window (templates are sent) nor the pair rate refuses anything.
 */
import { randomBytes } from 'node:crypto';
import type { Sender } from '../load/protocol.js';
import type { BenchStack } from '../lib/bench-stack.js';
import { VERIFY_TOKEN } from '../lib/bench-stack.js';
import { attachWaba, createFixture, createTenant, inBatches, subscribeReceiver, type Fixture, type Tenant } from '../lib/world.js';
import type { Sizes } from '../sizes.js';

export interface World {
  acceptTenant: Tenant;
  acceptNumbers: string[];
  e2eTenant: Tenant;
  e2eNumbers: string[];
  memoryTenant: Tenant;
  memoryNumber: string;
  /** Senders straight to the emulator (Meta's token of each number). */
  direct: Sender[];
}

export async function setupWorld(stack: BenchStack, sizes: Sizes, log: (line: string) => void): Promise<World> {
  const { emulatorUrl, platformUrl, operatorKey, app } = stack;
  const platformApp = { app_id: app.id, app_secret: app.secret, messaging_limit_tier: 'TIER_UNLIMITED' };
  // The first fixture creates the platform's app and subscribes it to the platform's /webhooks/meta.
  const first = await createFixture(emulatorUrl, { ...platformApp, callback_url: `${platformUrl}/webhooks/meta`, verify_token: VERIFY_TOKEN });
  const fixtures = async (count: number, extra: Record<string, unknown>) =>
    inBatches(Array.from({ length: count }), 8, () => createFixture(emulatorUrl, { ...platformApp, ...extra }));
  const attachAll = async (tenant: Tenant, list: Fixture[]) => inBatches(list, 4, (f) => attachWaba(platformUrl, operatorKey, tenant.tenant_id, f));

  const acceptTenant = await createTenant(platformUrl, operatorKey, 'Bench accept');
  const acceptFixtures = [first, ...(await fixtures(sizes.manyNumbers - 1, {}))];
  await attachAll(acceptTenant, acceptFixtures);
  log(`  tenant "accept": ${acceptFixtures.length} numbers attached`);
  // Every WABA's templates read from Meta before anything is measured: a send naming a template
  // the local copy does not have yet waits for the platform to confirm it with Meta, a start-up
  // cost that belongs to no accept point.
  const synced = await waitForTemplateSyncs(stack, acceptFixtures.map((f) => f.waba_id));
  log(`  their templates synced from Meta in ${(synced / 1_000).toFixed(1)} s`);

  const e2eTenant = await createTenant(platformUrl, operatorKey, 'Bench end-to-end');
  const e2eFixtures = await fixtures(sizes.e2e.numbers, { throughput_level: 'HIGH' });
  await attachAll(e2eTenant, e2eFixtures);
  for (const f of e2eFixtures) await subscribeReceiver(platformUrl, e2eTenant.api_key, f.waba_id, stack.loadgen.receiverUrl);
  const [mps] = await stack.pg.sql<{ mps: number }[]>`select min(mps)::int as mps from phone_numbers where id = any(${e2eFixtures.map((f) => f.phone_number_id)}::text[])`;
  if (mps?.mps !== 1_000) throw new Error(`end-to-end numbers are at ${mps?.mps} mps in the platform, expected 1,000`);
  log(`  tenant "e2e": ${e2eFixtures.length} numbers at 1,000 mps, webhooks to the load generator's receiver`);

  const memoryTenant = await createTenant(platformUrl, operatorKey, 'Bench memory');
  const [memoryFixture] = await fixtures(1, {});
  await attachAll(memoryTenant, [memoryFixture!]);

  // Another app, not the platform's: its webhooks go straight to the receiver.
  const directApp = { app_id: String(400_000_000_000_000 + Math.floor(Math.random() * 1e14)), app_secret: randomBytes(16).toString('hex') };
  const direct: Fixture[] = [];
  for (let i = 0; i < sizes.e2e.numbers; i++) {
    direct.push(
      await createFixture(emulatorUrl, {
        ...directApp,
        messaging_limit_tier: 'TIER_UNLIMITED',
        throughput_level: 'HIGH',
        ...(i === 0 ? { callback_url: stack.loadgen.receiverUrl, verify_token: 'bench' } : {}),
      }),
    );
  }
  log(`  direct: ${direct.length} numbers of another app at 1,000 mps, webhooks straight to the receiver`);

  return {
    acceptTenant,
    acceptNumbers: acceptFixtures.map((f) => f.phone_number_id),
    e2eTenant,
    e2eNumbers: e2eFixtures.map((f) => f.phone_number_id),
    memoryTenant,
    memoryNumber: memoryFixture!.phone_number_id,
    direct: direct.map((f) => ({ phoneNumberId: f.phone_number_id, token: f.access_token })),
  };
}

/** Waits (bounded) until the platform has read the templates of every WABA in `wabaIds`; returns how long it took. */
async function waitForTemplateSyncs(stack: BenchStack, wabaIds: string[]): Promise<number> {
  const started = Date.now();
  for (;;) {
    const [row] = await stack.pg.sql<{ n: number }[]>`
      select count(*)::int as n from template_syncs where waba_id = any(${wabaIds}::text[]) and synced_at is not null`;
    if (row!.n >= wabaIds.length) return Date.now() - started;
    if (Date.now() - started > 300_000) throw new Error(`templates of ${wabaIds.length - row!.n} of ${wabaIds.length} WABAs not synced after 300 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
