/**
 * One embedded PostgreSQL per test run: started here, migrated once into a template database, and
 * cloned into an isolated database per test file (test-db.ts). Durability settings are relaxed
 * because nothing here survives the run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startEmbeddedPostgres } from '@switchboard/runtime';
import { connect } from '../src/db/connect.js';
import { migrate } from '../src/db/migrate.js';

export const TEMPLATE_DATABASE = 'switchboard_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-test-'));
  const pg = await startEmbeddedPostgres({
    dir,
    port: await freePort(),
    database: TEMPLATE_DATABASE,
    settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: 400 },
  });
  const sql = connect(pg.url, { max: 1 });
  try {
    await migrate(sql);
  } finally {
    await sql.end();
  }
  project.provide('pgAdminUrl', pg.urlFor('postgres'));
  project.provide('pgTemplateUrl', pg.url);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
