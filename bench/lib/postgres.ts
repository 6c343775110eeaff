/**
 * The benchmark's PostgreSQL: the embedded server `switchboard serve` would start, in a fresh
 * directory, with durability on as in production (fsync, synchronous_commit and full-page writes
 * on: an accepted message is on disk before its 200). Other settings are the embedded defaults.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort, startEmbeddedPostgres } from '@switchboard/runtime';

export type Sql = postgres.Sql;

export interface BenchPostgres {
  url: string;
  sql: Sql;
  dir: string;
  postmasterPid: number;
  version: string;
  settings: Record<string, string>;
  stop(): Promise<void>;
}

export const DURABLE_SETTINGS = { fsync: 'on', synchronous_commit: 'on', full_page_writes: 'on', max_connections: 300 };

export async function startBenchPostgres(): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const pg = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'switchboard_bench', settings: DURABLE_SETTINGS });
  const sql = postgres(pg.url, { max: 4, onnotice: () => undefined });
  const postmasterPid = Number((await readFile(join(dir, 'pgdata', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const [{ version }] = (await sql`select current_setting('server_version') as version`) as unknown as [{ version: string }];
  const rows = await sql<{ name: string; setting: string }[]>`
    select name, current_setting(name) as setting from pg_settings
    where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'work_mem')`;
  const settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  if (settings.fsync !== 'on' || settings.synchronous_commit !== 'on') throw new Error(`PostgreSQL is not durable: ${JSON.stringify(settings)}`);
  return {
    url: pg.url,
    sql,
    dir,
    postmasterPid,
    version,
    settings,
    async stop() {
      await sql.end({ timeout: 5 }).catch(() => undefined);
      await pg.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
