/** `switchboard serve [--port N]`: the platform alone (embedded PostgreSQL unless DATABASE_URL). */
import { parseArgs } from 'node:util';
import { createLogger, onShutdown } from '@switchboard/runtime';
import { readPlatformConfig } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { startPlatform } from '../start-platform.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { port: { type: 'string' } } });
  const config = readPlatformConfig({ ...process.env, ...(values.port !== undefined ? { PORT: values.port } : {}) });
  const logger = createLogger('platform', config.LOG_LEVEL);
  const db = await openDatabase(config, logger);
  const running = await startPlatform(config, db, logger).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  logger.info({ url: running.url }, 'platform listening');
  onShutdown([() => running.platform.close(), () => db.close()], (msg) => logger.info(msg));
}
