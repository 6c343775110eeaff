/** An isolated, migrated database for one test file, cloned from the run's template database. */
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, type Sql } from '../src/db/connect.js';
import { TEMPLATE_DATABASE } from './global-setup.js';

export interface TestDatabase {
  url: string;
  sql: Sql;
  drop(): Promise<void>;
}

/** A migrated database (cloned from the template); `empty: true` gives one with no tables at all. */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const admin = connect(adminUrl, { max: 1 });
  const name = `test_${randomBytes(6).toString('hex')}`;
  try {
    await admin.unsafe(`create database ${name} template ${options.empty ? 'template0' : TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = connect(url, { max: 10 });
  return {
    url,
    sql,
    async drop() {
      await sql.end();
      const again = connect(adminUrl, { max: 1 });
      try {
        await again.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await again.end();
      }
    },
  };
}
