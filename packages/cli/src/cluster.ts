/**
 * `switchboard serve` with SWITCHBOARD_WORKERS > 1: one primary process and N platform processes
 * sharing the port (node:cluster). Node runs a process's JavaScript on one thread, so this is how
 * the platform uses more than one core; nothing else changes, since every platform process already
 * shares its work through PostgreSQL (group commits, per-number send leases, the inbound queue).
 *
 * The primary starts the embedded PostgreSQL if there is one, applies the migrations, resolves the
 * secrets, then forks the workers with DATABASE_URL and the secrets in their environment; it
 * serves nothing itself. A worker that dies is forked again after a second; one that dies while the
 * workers are starting fails the start (it would fail again). On SIGINT/SIGTERM the primary asks each worker to stop gracefully
 * (a message, not a signal: a terminal's Ctrl-C reaches the whole process group, and a second
 * signal means "exit now"), waits, then stops PostgreSQL. Workers exit by themselves if the
 * primary disappears (node:cluster closes their channel).
 */
import cluster, { type Worker } from 'node:cluster';
import { onShutdown, runStopSteps, type Logger, type StopStep } from '@switchboard/runtime';
import type { PlatformConfig } from '@switchboard/platform';
import { openDatabase } from './database.js';
import { resolveSecrets } from './secrets.js';

const STOP_MESSAGE = 'switchboard:stop';
const RESTART_DELAY_MS = 1_000;

export async function runPrimary(config: PlatformConfig, logger: Logger, workers: number): Promise<void> {
  const db = await openDatabase(config, logger);
  const secrets = await resolveSecrets(config).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  // The primary only owns the database server (if embedded); the workers have their own pools.
  await db.sql.end({ timeout: 5 });
  const env = {
    DATABASE_URL: db.url,
    SWITCHBOARD_ENCRYPTION_KEY: secrets.encryptionKey.toString('hex'),
    SWITCHBOARD_OPERATOR_KEY: secrets.operatorKey,
    PORT: String(config.PORT),
  };

  let stopping = false;
  let started = false;
  const fork = (): Worker => cluster.fork(env);
  const listening = new Set<number>();
  // PORT 0: the workers share the one port the primary picked; their listening address tells it.
  const port = await new Promise<number>((resolve, reject) => {
    cluster.on('listening', (worker, address) => {
      listening.add(worker.id);
      if (listening.size === workers) resolve(address.port);
      if (started) logger.info({ pid: worker.process.pid }, 'platform worker listening');
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      // One that cannot start (the port taken, the database gone) would fail again: give up.
      if (!started) return reject(new Error(`platform worker ${worker.process.pid} exited while starting (${signal ?? code})`));
      logger.error({ pid: worker.process.pid, code, signal }, 'platform worker exited; starting another');
      setTimeout(() => {
        if (!stopping) fork();
      }, RESTART_DELAY_MS).unref();
    });
    for (let i = 0; i < workers; i++) fork();
  }).catch(async (err: unknown) => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
    await db.close();
    throw err;
  });
  started = true;
  const pids = Object.values(cluster.workers ?? {}).map((w) => w?.process.pid);
  logger.info({ url: `http://${config.HOST}:${port}`, workers: pids }, 'platform listening');

  const stopWorkers: StopStep = async () => {
    stopping = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
    await Promise.all(
      alive.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.once('exit', () => resolve());
            // A worker whose channel already closed is exiting by itself (node:cluster's rule).
            if (w.isConnected()) w.send(STOP_MESSAGE);
          }),
      ),
    );
  };
  onShutdown([stopWorkers, () => db.close()], (msg) => logger.info(msg));
}

/** In a worker: stop gracefully when the primary asks; signals are the primary's to handle. */
export function stopWhenPrimaryAsks(steps: StopStep[], logger: Logger): void {
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  process.on('message', (message) => {
    if (message !== STOP_MESSAGE) return;
    void runStopSteps(steps, (msg) => logger.info(msg)).then((code) => process.exit(code));
  });
}
