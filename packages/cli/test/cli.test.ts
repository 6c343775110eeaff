import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../platform/test/test-db.js';
import { runCli } from './run-cli.js';

describe('switchboard CLI', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('prints usage and refuses unknown commands', async () => {
    const help = runCli(['--help'], {});
    expect(await help.exited).toBe(0);
    expect(help.stdout.join('\n')).toMatch(/usage: switchboard <command>/);
    const unknown = runCli(['frobnicate'], {});
    expect(await unknown.exited).toBe(2);
    expect(unknown.stderr.join('')).toMatch(/unknown command "frobnicate"/);
  });

  it('exits non-zero naming PORT and DATABASE_URL, without a stack trace', async () => {
    const run = runCli(['serve'], { PORT: 'abc', DATABASE_URL: 'not-a-url' });
    expect(await run.exited).toBe(2);
    const err = run.stderr.join('');
    expect(err).toMatch(/PORT="abc" is invalid/);
    expect(err).toMatch(/DATABASE_URL="not-a-url" is invalid/);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it('asks for the secrets when DATABASE_URL points at another server', async () => {
    const db = await createTestDatabase({ empty: true });
    databases.push(db);
    const run = runCli(['serve'], { DATABASE_URL: db.url, PORT: '0' });
    expect(await run.exited).toBe(2);
    expect(run.stderr.join('')).toMatch(/SWITCHBOARD_ENCRYPTION_KEY is required/);
  });

  it('starts two serve processes at the same moment against one new database', async () => {
    const db = await createTestDatabase({ empty: true });
    databases.push(db);
    const env = {
      DATABASE_URL: db.url,
      PORT: '0',
      SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_OPERATOR_KEY: 'operator-test-key',
    };
    const runs = [runCli(['serve'], env), runCli(['serve'], env)];
    try {
      const urls = await Promise.all(runs.map(async (r) => JSON.parse(await r.waitForLine(/"platform listening"/)).url as string));
      for (const url of urls) {
        const ready = await fetch(`${url}/readyz`);
        expect(ready.status).toBe(200);
      }
      const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from switchboard_migrations`;
      expect(row!.n).toBeGreaterThan(0);
    } finally {
      for (const r of runs) r.child.kill('SIGTERM');
    }
    expect(await Promise.all(runs.map((r) => r.exited))).toEqual([0, 0]);
  });

  it('migrates with --json', async () => {
    const db = await createTestDatabase({ empty: true });
    databases.push(db);
    const env = { DATABASE_URL: db.url, SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'), SWITCHBOARD_OPERATOR_KEY: 'k' };
    const first = runCli(['migrate', '--json'], env);
    expect(await first.exited).toBe(0);
    const out = JSON.parse(first.stdout.join('')) as { migrations: Array<{ status: string }> };
    expect(out.migrations.every((m) => m.status === 'applied')).toBe(true);
    const second = runCli(['migrate', '--json'], env);
    expect(await second.exited).toBe(0);
    expect((JSON.parse(second.stdout.join('')) as typeof out).migrations.every((m) => m.status === 'already-applied')).toBe(true);
  });

  it('creates a tenant and prints its credentials once as JSON', async () => {
    const db = await createTestDatabase();
    databases.push(db);
    const env = { DATABASE_URL: db.url, SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'), SWITCHBOARD_OPERATOR_KEY: 'k' };
    const run = runCli(['tenants', 'create', '--name', 'Acme', '--json'], env);
    expect(await run.exited).toBe(0);
    const created = JSON.parse(run.stdout.join('')) as { tenant_id: string; api_key: string; webhook_secret: string };
    expect(created.api_key).toMatch(/^sb_/);
    const [row] = await db.sql<{ name: string; secret: Buffer }[]>`select name, webhook_secret_enc as secret from tenants where id = ${created.tenant_id}`;
    expect(row!.name).toBe('Acme');
    expect(row!.secret.toString('latin1')).not.toContain(created.webhook_secret);
    const [key] = await db.sql`select 1 from api_keys where tenant_id = ${created.tenant_id}`;
    expect(key).toBeDefined();
  });
});
