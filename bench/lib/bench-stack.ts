/**
 * The processes of a run: PostgreSQL (embedded, durable), the emulator (`switchboard emulator`),
 * the platform (`switchboard serve` against that PostgreSQL) and the load generator, each its own
 * process on loopback. The platform can be restarted (for profiling, for a fresh heap).
 */
import { randomBytes } from 'node:crypto';
import { LoadGenerator } from './load-generator.js';
import { freePort } from '@switchboard/runtime';
import { startBenchPostgres, type BenchPostgres } from './postgres.js';
import { postgresPids, withChildren, type CpuGroups } from './proc-stats.js';
import { spawnSwitchboard, type Proc } from './processes.js';
import { waitForHttp } from './world.js';

export const VERIFY_TOKEN = 'bench-verify-token';

export interface BenchStack {
  pg: BenchPostgres;
  emulator: Proc;
  emulatorUrl: string;
  platform: Proc;
  platformUrl: string;
  loadgen: LoadGenerator;
  operatorKey: string;
  /** The Meta app the platform is configured with (its webhooks go to the platform). */
  app: { id: string; secret: string };
  /** Stops the platform and starts it again on the same database and port (with other node flags or worker count). */
  restartPlatform(nodeArgs?: string[], options?: { workers?: number }): Promise<void>;
  cpuGroups(extra?: Record<string, number>): CpuGroups;
  close(): Promise<void>;
}

export async function startBenchStack(log: (line: string) => void, options: { workers: number; statementStats?: boolean }): Promise<BenchStack> {
  const pg = await startBenchPostgres(options.statementStats);
  log(`PostgreSQL ${pg.version} (${Object.entries(pg.settings).map(([k, v]) => `${k}=${v}`).join(', ')})`);
  const started: Array<{ stop(): Promise<unknown> }> = [];
  try {
    const emulatorPort = await freePort();
    const emulator = spawnSwitchboard('emulator', ['emulator', '--port', String(emulatorPort)], { LOG_LEVEL: 'warn' });
    started.push(emulator);
    await emulator.waitForLine(/emulator listening on/);
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;

    const app = { id: String(300_000_000_000_000 + Math.floor(Math.random() * 1e14)), secret: randomBytes(16).toString('hex') };
    const operatorKey = `op_${randomBytes(12).toString('hex')}`;
    const platformPort = await freePort();
    const env = {
      DATABASE_URL: pg.url,
      PORT: String(platformPort),
      SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_OPERATOR_KEY: operatorKey,
      // The load generator's webhook receiver is on loopback.
      SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      GRAPH_API_URL: emulatorUrl,
      META_APP_ID: app.id,
      META_APP_SECRET: app.secret,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
      // The default level: nothing is logged per request at info.
      LOG_LEVEL: 'info',
    };
    const platformUrl = `http://127.0.0.1:${platformPort}`;
    const startPlatform = async (nodeArgs: string[] = [], workers = options.workers) => {
      const proc = spawnSwitchboard('platform', ['serve'], { ...env, SWITCHBOARD_WORKERS: String(workers) }, nodeArgs);
      await proc.waitForLine(/"platform listening"/);
      await waitForHttp(`${platformUrl}/readyz`);
      return proc;
    };
    let platform = await startPlatform();
    started.push({ stop: () => platform.stop() });
    const loadgen = await LoadGenerator.start();
    started.push(loadgen);

    const stack: BenchStack = {
      pg,
      emulator,
      emulatorUrl,
      get platform() {
        return platform;
      },
      platformUrl,
      loadgen,
      operatorKey,
      app,
      async restartPlatform(nodeArgs = [], restart = {}) {
        const code = await platform.stop();
        if (code !== 0) log(`platform exited with ${code} when stopped`);
        platform = await startPlatform(nodeArgs, restart.workers);
      },
      cpuGroups: (extra = {}) => ({
        platform: () => withChildren(platform.pid),
        postgres: () => postgresPids(pg.postmasterPid),
        emulator: () => [emulator.pid],
        'load generator': () => [loadgen.pid],
        ...Object.fromEntries(Object.entries(extra).map(([name, pid]) => [name, () => [pid]])),
      }),
      async close() {
        for (const s of started.reverse()) await s.stop().catch(() => undefined);
        await pg.stop();
      },
    };
    return stack;
  } catch (err) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    await pg.stop();
    throw err;
  }
}
