/**
 * The database a command runs against: DATABASE_URL when set, otherwise an embedded PostgreSQL
 * with its data under SWITCHBOARD_DATA_DIR. Migrations are applied before anything else runs.
 */
import { join } from 'node:path';
import { startEmbeddedPostgres, type Logger } from '@switchboard/runtime';
import { connect, migrate, type PlatformConfig, type Sql } from '@switchboard/platform';

export interface Database {
  url: string;
  sql: Sql;
  embedded: boolean;
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

export async function openDatabase(config: PlatformConfig, logger: Logger, options: { migrate?: boolean } = {}): Promise<Database> {
  let url = config.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const pg = await startEmbeddedPostgres({
      dir: join(config.SWITCHBOARD_DATA_DIR, 'postgres'),
      port: config.SWITCHBOARD_PG_PORT,
      log: (line) => logger.info(line),
    });
    url = pg.url;
    stopEmbedded = () => pg.stop();
  }
  const sql = connect(url, { max: config.DATABASE_POOL_SIZE });
  try {
    if (options.migrate !== false) {
      const results = await migrate(sql);
      const applied = results.filter((r) => r.status === 'applied');
      if (applied.length > 0) logger.info({ applied: applied.map((r) => r.name) }, 'migrations applied');
    }
  } catch (err) {
    await sql.end();
    await stopEmbedded?.();
    throw err;
  }
  return {
    url,
    sql,
    embedded: stopEmbedded !== undefined,
    async close() {
      await sql.end({ timeout: 5 });
      await stopEmbedded?.();
    },
  };
}
