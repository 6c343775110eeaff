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

/**
 * @param statementStats load pg_stat_statements (`--pg-stats`): where PostgreSQL's time goes per
 *   statement, reported per phase. Off by default: it costs a little on every statement.
 */
export async function startBenchPostgres(statementStats = false): Promise<BenchPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-bench-'));
  const serverSettings = statementStats ? { ...DURABLE_SETTINGS, shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.max': 1000 } : DURABLE_SETTINGS;
  const pg = await startEmbeddedPostgres({ dir, port: await freePort(), database: 'switchboard_bench', settings: serverSettings });
  const sql = postgres(pg.url, { max: 4, onnotice: () => undefined });
  if (statementStats) await sql`create extension if not exists pg_stat_statements`;
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

export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
  rows: number;
  /** Share of the phase's statement time. */
  share: number;
}

export async function resetStatementStats(sql: Sql): Promise<void> {
  await sql`select pg_stat_statements_reset()`;
}

/** The statements that took most of PostgreSQL's execution time since the last reset, after a first row summing them all. */
export async function topStatements(sql: Sql, limit = 12): Promise<StatementStat[]> {
  const rows = await sql<{ query: string; calls: string; total: number; mean: number; rows: string; share: number }[]>`
    with s as (
      select * from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()))
    (select '(all statements)' as query, sum(calls) as calls, sum(total_exec_time) as total,
            sum(total_exec_time) / nullif(sum(calls), 0) as mean, sum(rows) as rows, 1::float8 as share
     from s)
    union all
    (select regexp_replace(query, ${'\\s+'}, ' ', 'g'), calls, total_exec_time, mean_exec_time, rows,
            total_exec_time / nullif(sum(total_exec_time) over (), 0)
     from s order by total_exec_time desc limit ${limit})`;
  return rows.map((r) => ({ query: r.query, calls: Number(r.calls), totalMs: r.total ?? 0, meanMs: r.mean ?? 0, rows: Number(r.rows ?? 0), share: r.share ?? 0 }));
}
