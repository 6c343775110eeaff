/**
 * Forward-only migrations: numbered SQL files in packages/platform/migrations, each applied once in
 * its own transaction, all under one PostgreSQL advisory lock so that several processes starting
 * at the same moment take turns instead of racing. Returns a status per migration rather than
 * throwing halfway.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './connect.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Advisory lock key: "SWBD" as an integer, unlikely to collide with other users of the database. */
const MIGRATION_LOCK = 0x53574244;

export interface MigrationFile {
  id: number;
  name: string;
  path: string;
}

export interface MigrationResult {
  id: number;
  name: string;
  status: 'applied' | 'already-applied';
}

export async function migrationFiles(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => /^\d{6}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return names.map((name) => ({ id: Number(name.slice(0, 6)), name, path: join(dir, name) }));
}

export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<MigrationResult[]> {
  const files = await migrationFiles(dir);
  const conn = await sql.reserve();
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await conn`create table if not exists switchboard_migrations (
      id integer primary key, name text not null, applied_at timestamptz not null default now())`;
    const done = new Set((await conn<{ id: number }[]>`select id from switchboard_migrations`).map((r) => r.id));
    const results: MigrationResult[] = [];
    for (const file of files) {
      if (done.has(file.id)) {
        results.push({ id: file.id, name: file.name, status: 'already-applied' });
        continue;
      }
      const text = await readFile(file.path, 'utf8');
      await conn.unsafe('begin');
      try {
        await conn.unsafe(text);
        await conn`insert into switchboard_migrations (id, name) values (${file.id}, ${file.name})`;
        await conn.unsafe('commit');
      } catch (err) {
        await conn.unsafe('rollback');
        throw new Error(`migration ${file.name} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      results.push({ id: file.id, name: file.name, status: 'applied' });
    }
    return results;
  } finally {
    await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    conn.release();
  }
}

/** True when every migration file has been applied (readiness). */
export async function migrationsApplied(sql: Sql, dir = MIGRATIONS_DIR): Promise<boolean> {
  const files = await migrationFiles(dir);
  try {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from switchboard_migrations`;
    return (row?.n ?? 0) >= files.length;
  } catch {
    return false;
  }
}
