/**
 * `switchboard serve [--port N] [--workers N]`: the platform alone (embedded PostgreSQL unless
 * DATABASE_URL); with more than one worker, that many processes share the port (cluster.ts).
 */
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { createLogger, onShutdown } from '@switchboard/runtime';
import { readPlatformConfig } from '@switchboard/platform';
import { runPrimary, stopWhenPrimaryAsks } from '../cluster.js';
import { openDatabase } from '../database.js';
import { startPlatform } from '../start-platform.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, workers: { type: 'string' } } });
  const config = readPlatformConfig({
    ...process.env,
    ...(values.port !== undefined ? { PORT: values.port } : {}),
    ...(values.workers !== undefined ? { SWITCHBOARD_WORKERS: values.workers } : {}),
  });
  const logger = createLogger('platform', config.LOG_LEVEL);
  if (cluster.isPrimary && config.SWITCHBOARD_WORKERS > 1) return runPrimary(config, logger, config.SWITCHBOARD_WORKERS);

  const db = await openDatabase(config, logger);
  const running = await startPlatform(config, db, logger).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  const steps = [() => running.platform.close(), () => db.close()];
  if (cluster.isWorker) {
    stopWhenPrimaryAsks(steps, logger);
    return;
  }
  logger.info({ url: running.url }, 'platform listening');
  onShutdown(steps, (msg) => logger.info(msg));
}
