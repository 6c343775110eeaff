import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from './connect.js';
import { migrate, migrationFiles, migrationsApplied } from './migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('numbers files and applies each once', async () => {
    const files = await migrationFiles();
    expect(files.length).toBeGreaterThan(0);
    expect(files.map((f) => f.id)).toEqual([...files.map((f) => f.id)].sort((a, b) => a - b));
    // The template was migrated: every file reports already-applied.
    const results = await migrate(db.sql);
    expect(results.every((r) => r.status === 'already-applied')).toBe(true);
    expect(await migrationsApplied(db.sql)).toBe(true);
  });

  it('lets concurrent migrators take turns under the advisory lock', async () => {
    await db.sql.unsafe('drop schema public cascade; create schema public');
    expect(await migrationsApplied(db.sql)).toBe(false);
    const pools = [connect(db.url, { max: 2 }), connect(db.url, { max: 2 }), connect(db.url, { max: 2 })];
    try {
      const outcomes = await Promise.all(pools.map((p) => migrate(p)));
      const applied = outcomes.flat().filter((r) => r.status === 'applied');
      const files = await migrationFiles();
      expect(applied).toHaveLength(files.length);
      expect(await migrationsApplied(db.sql)).toBe(true);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
