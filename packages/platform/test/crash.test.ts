/**
 * kill -9 the platform while it accepts and dispatches, start it again: every message that got a
 * 200 reaches the emulator, and none twice where the emulator had answered — attempts left in
 * flight by the killed process are reconciled through Meta's status webhooks before any retry
 * (messaging/dispatch/trace.ts). The platform runs as a real `switchboard serve` process; the
 * emulator runs here, on real time.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulator } from '@switchboard/emulator';
import { freePort, VirtualClock } from '@switchboard/runtime';
import { runCli, type CliRun } from '../../cli/test/run-cli.js';
import { SecretBox } from '../src/crypto/secret-box.js';
import { createTenant } from '../src/tenants/create-tenant.js';
import { createTestDatabase } from './test-db.js';

const COUNT = process.env.CI ? 600 : 2_000;
const KILLS = 3;
const CONCURRENCY = 32;

describe('crash safety', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it(`loses none of ${COUNT} accepted messages across ${KILLS} kill -9s`, { timeout: 300_000 }, async () => {
    const emulator = createEmulator({ clock: new VirtualClock() });
    const emulatorUrl = await emulator.listen(0);
    cleanups.push(() => emulator.close());
    const db = await createTestDatabase();
    cleanups.push(() => db.drop());
    const port = await freePort();
    const platformUrl = `http://127.0.0.1:${port}`;
    const key = randomBytes(32);
    const app = { id: String(200_000_000_000_000 + Math.floor(Math.random() * 1e14)), secret: randomBytes(16).toString('hex') };
    const env = {
      DATABASE_URL: db.url,
      PORT: String(port),
      SWITCHBOARD_ENCRYPTION_KEY: key.toString('hex'),
      SWITCHBOARD_OPERATOR_KEY: 'op',
      GRAPH_API_URL: emulatorUrl,
      META_APP_ID: app.id,
      META_APP_SECRET: app.secret,
      META_VERIFY_TOKEN: 'vt',
      LOG_LEVEL: 'info',
    };
    let server: CliRun | undefined;
    const start = async () => {
      server = runCli(['serve'], env);
      await server.waitForLine(/"platform listening"/);
    };
    cleanups.push(async () => {
      server?.child.kill('SIGKILL');
    });
    await start();
    // Meta's side, with the app's webhooks going to the platform: statuses reconcile unknown outcomes.
    const fixtures = (await (
      await fetch(`${emulatorUrl}/_emulator/fixtures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          app_id: app.id,
          app_secret: app.secret,
          callback_url: `${platformUrl}/webhooks/meta`,
          verify_token: 'vt',
          throughput_level: 'HIGH',
          messaging_limit_tier: 'TIER_UNLIMITED',
        }),
      })
    ).json()) as { access_token: string; waba_id: string; phone_number_id: string };
    const tenant = await createTenant(db.sql, new SecretBox(key), 'Crash');
    const attach = await fetch(`${platformUrl}/api/v1/wabas`, {
      method: 'POST',
      headers: { authorization: 'Bearer op', 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: tenant.tenant_id, waba_id: fixtures.waba_id, access_token: fixtures.access_token }),
    });
    expect(attach.status).toBe(200);

    const accepted: string[] = [];
    let next = 0;
    let restarting: Promise<void> | undefined;
    const killAt = new Set(Array.from({ length: KILLS }, (_, k) => Math.floor(((k + 1) * COUNT) / (KILLS + 1))));
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = next++; i < COUNT; i = next++) {
          if (killAt.has(i) && !restarting) {
            server!.child.kill('SIGKILL');
            restarting = (async () => {
              await server!.exited;
              await start();
            })().finally(() => (restarting = undefined));
          }
          const tag = `crash-${i}`;
          // A client retries what got no answer, as clients do; only a 200 counts as accepted.
          for (let tries = 0; tries < 50; tries++) {
            await restarting;
            const response = await fetch(`${platformUrl}/v23.0/${fixtures.phone_number_id}/messages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'application/json', 'idempotency-key': tag },
              body: JSON.stringify({
                messaging_product: 'whatsapp',
                to: `1555${String(2_000_000 + i).padStart(7, '0')}`,
                type: 'template',
                template: {
                  name: 'order_confirmation',
                  language: { code: 'en_US' },
                  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Crash' }, { type: 'text', text: tag }] }],
                },
              }),
            }).catch(() => undefined);
            if (response?.status === 200) {
              accepted.push(tag);
              break;
            }
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }),
    );
    await restarting;
    expect(accepted).toHaveLength(COUNT);

    // Wait until the queue is empty (retries of unknown outcomes wait out their grace period first).
    for (let i = 0; i < 1_800; i++) {
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from send_queue`;
      if (row!.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seen = new Map<string, number>();
    for (const m of emulator.ctx.state.messages.values()) {
      const tag = (m.payload.template as { components?: Array<{ parameters?: Array<{ text?: string }> }> } | undefined)?.components?.[0]
        ?.parameters?.[1]?.text;
      if (tag) seen.set(tag, (seen.get(tag) ?? 0) + 1);
    }
    const missing = accepted.filter((t) => !seen.has(t));
    expect(missing).toEqual([]);
    const duplicated = [...seen.entries()].filter(([, n]) => n > 1).map(([tag]) => tag);
    const [unknown] = await db.sql<{ n: number }[]>`
      select count(distinct message_id)::int as n from message_attempts where outcome = 'unknown'`;
    if (duplicated.length > 0) {
      const sample = duplicated[0]!;
      console.log(await db.sql`select a.* from message_attempts a join messages m on m.id = a.message_id where m.idempotency_key = ${sample} order by a.id`);
      console.log(await db.sql`select s.status, s.at from message_statuses s join messages m on m.id = s.message_id where m.idempotency_key = ${sample}`);
      console.log(await db.sql`select id, meta_wamid, status from messages where idempotency_key = ${sample}`);
    }
    expect(duplicated).toEqual([]);
    console.log(
      `crash test: ${COUNT} accepted, ${KILLS} kills, ${seen.size} delivered to the emulator once each; ` +
        `${unknown!.n} attempts left in flight were reconciled by status webhooks`,
    );
    server!.child.kill('SIGTERM');
    expect(await server!.exited).toBe(0);
  });
});
