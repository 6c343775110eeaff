/** `switchboard migrate [--json]`: applies pending migrations and exits. */
import { parseArgs } from 'node:util';
import { createLogger } from '@switchboard/runtime';
import { migrate, readPlatformConfig } from '@switchboard/platform';
import { openDatabase } from '../database.js';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { json: { type: 'boolean', default: false } } });
  const config = readPlatformConfig(process.env);
  const logger = createLogger('migrate', values.json ? 'silent' : 'warn');
  const db = await openDatabase(config, logger, { migrate: false });
  try {
    const results = await migrate(db.sql);
    if (values.json) process.stdout.write(`${JSON.stringify({ migrations: results })}\n`);
    else for (const r of results) process.stdout.write(`${r.status === 'applied' ? 'applied ' : 'ok      '} ${r.name}\n`);
  } finally {
    await db.close();
  }
}
