/**
 * The world a fault scenario runs in: its own embedded PostgreSQL (so a scenario may stop and
 * start it), the platform as a real `switchboard serve` process (so it can be killed with -9;
 * with `workers`, a primary and that many platform processes sharing the port),
 * the emulator in this process on real time (so the test can read what reached Meta), a tenant
 * with two numbers at 1,000 mps, and the tenant's webhook receiver (fault-receiver.ts) registered
 * with Meta's own call. Everything it starts, close() stops.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@switchboard/emulator';
import { freePort, startEmbeddedPostgres, VirtualClock, type EmbeddedPostgres } from '@switchboard/runtime';
import { runCli, type CliRun } from '../../../cli/test/run-cli.js';
import { connect, type Sql } from '../../src/db/connect.js';
import { startFaultReceiver, type FaultReceiver } from './fault-receiver.js';

export interface Crash {
  exit: number | string;
  /** The end of what the process wrote to stderr: the error that ended it. */
  stderr: string;
}

export interface FaultWorldOptions {
  /** Seconds an attempt with an unknown outcome waits for Meta's status before it is retried (default: the platform's, 60). */
  unknownOutcomeGraceSeconds?: number;
  /** Platform processes sharing the port (`SWITCHBOARD_WORKERS`, node:cluster; default 1). */
  workers?: number;
}

export interface FaultWorld {
  emulator: Emulator;
  emulatorUrl: string;
  platformUrl: string;
  /** The scenario's own pool on the platform's database (reconnects after a restart). */
  sql: Sql;
  apiKey: string;
  phoneNumberIds: string[];
  receiver: FaultReceiver;
  platform(): CliRun;
  /**
   * Exits of the platform that the scenario did not cause. Like a service manager
   * (Restart=always), the world starts the platform again after each, so the scenario can still
   * check that nothing was lost; the exit itself is a finding, reported by the scenario.
   */
  crashes: Crash[];
  /** kill -9 the platform and start it again. */
  killAndRestartPlatform(): Promise<void>;
  /** Stops PostgreSQL (fast shutdown: sessions are cut) and starts it again on the same data and port after `downMs`. */
  restartPostgres(downMs: number): Promise<void>;
  /** Meta's fault rules (emulator control API). */
  addFaults(rules: unknown): Promise<void>;
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultWorld(options: FaultWorldOptions = {}): Promise<FaultWorld> {
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const dir = await mkdtemp(join(tmpdir(), 'switchboard-faults-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const pgPort = await freePort();
    const pgOptions = { dir, port: pgPort, settings: { fsync: 'off', full_page_writes: 'off' } };
    let pg: EmbeddedPostgres = await startEmbeddedPostgres(pgOptions);
    cleanups.push(() => pg.stop());
    const sql = connect(pg.url, { max: 4 });
    cleanups.push(() => sql.end({ timeout: 5 }));

    const emulator = createEmulator({ clock: new VirtualClock() });
    const emulatorUrl = await emulator.listen(0);
    cleanups.push(() => emulator.close());

    const port = await freePort();
    const platformUrl = `http://127.0.0.1:${port}`;
    const key = randomBytes(32).toString('hex');
    const app = { id: String(500_000_000_000_000 + Math.floor(Math.random() * 1e14)), secret: randomBytes(16).toString('hex') };
    const env = {
      DATABASE_URL: pg.url,
      PORT: String(port),
      SWITCHBOARD_ENCRYPTION_KEY: key,
      SWITCHBOARD_OPERATOR_KEY: 'op',
      // The tenant's receiver is on loopback.
      SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      GRAPH_API_URL: emulatorUrl,
      META_APP_ID: app.id,
      META_APP_SECRET: app.secret,
      META_VERIFY_TOKEN: 'vt',
      ...(options.unknownOutcomeGraceSeconds !== undefined ? { SWITCHBOARD_UNKNOWN_OUTCOME_GRACE_SECONDS: String(options.unknownOutcomeGraceSeconds) } : {}),
      ...(options.workers !== undefined ? { SWITCHBOARD_WORKERS: String(options.workers) } : {}),
      LOG_LEVEL: 'info',
    };
    let server: CliRun | undefined;
    let closing = false;
    const crashes: Crash[] = [];
    const start = async (): Promise<void> => {
      const run = runCli(['serve'], env);
      server = run;
      void run.exited.then((exit) => {
        // Killed by the scenario (SIGKILL) or stopped by close(): not a crash.
        if (closing || exit === 'SIGKILL' || server !== run) return;
        crashes.push({ exit, stderr: [...run.stdout.slice(-3), run.stderr.join('')].join('\n').slice(-2_000) });
        // A second apart, as a service manager spaces restarts (PostgreSQL may still be down).
        setTimeout(() => void start().catch(() => undefined), 1_000);
      });
      await run.waitForLine(/"platform listening"/);
    };
    cleanups.push(async () => {
      closing = true;
      if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
      server.child.kill('SIGTERM');
      const timer = setTimeout(() => server?.child.kill('SIGKILL'), 15_000);
      await server.exited;
      clearTimeout(timer);
    });
    await start();

    const post = async (url: string, body: unknown, token?: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${text}`);
      return JSON.parse(text) as Record<string, string>;
    };
    const tenant = await post(`${platformUrl}/api/v1/tenants`, { name: 'Faults' }, 'op');
    const receiver = await startFaultReceiver();
    cleanups.push(() => receiver.close());
    const phoneNumberIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const fixture = await post(`${emulatorUrl}/_emulator/fixtures`, {
        app_id: app.id,
        app_secret: app.secret,
        ...(i === 0 ? { callback_url: `${platformUrl}/webhooks/meta`, verify_token: 'vt' } : {}),
        throughput_level: 'HIGH',
        messaging_limit_tier: 'TIER_UNLIMITED',
      });
      await post(`${platformUrl}/api/v1/wabas`, { tenant_id: tenant.tenant_id, waba_id: fixture.waba_id, access_token: fixture.access_token }, 'op');
      await post(`${platformUrl}/v23.0/${fixture.waba_id}/subscribed_apps`, { override_callback_uri: receiver.url, verify_token: 'rv' }, tenant.api_key);
      phoneNumberIds.push(fixture.phone_number_id!);
    }

    return {
      emulator,
      emulatorUrl,
      platformUrl,
      sql,
      apiKey: tenant.api_key!,
      phoneNumberIds,
      receiver,
      platform: () => server!,
      crashes,
      async killAndRestartPlatform() {
        server!.child.kill('SIGKILL');
        await server!.exited;
        await start();
      },
      async restartPostgres(downMs) {
        await pg.stop();
        await new Promise((resolve) => setTimeout(resolve, downMs));
        pg = await startEmbeddedPostgres(pgOptions);
      },
      async addFaults(rules) {
        await post(`${emulatorUrl}/_emulator/faults`, rules);
      },
      async clearFaults() {
        await fetch(`${emulatorUrl}/_emulator/faults`, { method: 'DELETE' });
      },
      async close() {
        for (const c of cleanups.reverse()) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    throw err;
  }
}
