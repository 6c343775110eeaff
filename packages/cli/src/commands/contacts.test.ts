/** `switchboard contacts import` as a real child process against a real database. */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, SecretBox } from '@switchboard/platform';
import { createTestDatabase, type TestDatabase } from '../../../platform/test/test-db.js';
import { runCli } from '../../test/run-cli.js';

describe('switchboard contacts import', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  let tenantId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'contacts-cli-'));
    const key = randomBytes(32);
    env = { DATABASE_URL: db.url, SWITCHBOARD_ENCRYPTION_KEY: key.toString('hex'), SWITCHBOARD_OPERATOR_KEY: 'k' };
    tenantId = (await createTenant(db.sql, new SecretBox(key), 'CLI')).tenant_id;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('imports a CSV with a per-row report, and again with every row unchanged', async () => {
    const file = join(dir, 'contacts.csv');
    await writeFile(file, 'phone,subscription,name\n+81 90-1234-5678,TRUE,Sato\n090-2222-3333,FALSE,Ito\nnope,TRUE,\n');
    const first = runCli(['contacts', 'import', '--tenant', tenantId, '--file', file, '--calling-code', '81', '--json'], env);
    expect(await first.exited, first.stderr.join('')).toBe(0);
    expect(JSON.parse(first.stdout.join(''))).toEqual({
      rows: 3,
      imported: 2,
      updated: 0,
      unchanged: 0,
      error_count: 1,
      errors: [{ row: 3, error: expect.stringMatching(/not a phone number/) }],
    });
    const [event] = await db.sql<{ actor: string; proof: string }[]>`select actor, proof from contact_events where wa_id = '819012345678'`;
    expect(event).toEqual({ actor: 'cli', proof: `switchboard contacts import ${file}` });

    const again = runCli(['contacts', 'import', '--tenant', tenantId, '--file', file, '--calling-code', '81'], env);
    expect(await again.exited).toBe(0);
    expect(again.stdout.join('\n')).toMatch(/3 rows in [\d.]+ s: 0 imported, 0 updated, 2 unchanged, 1 with errors\n?.*row 3: /s);
  });

  it('reads JSON files and refuses bad arguments', async () => {
    const file = join(dir, 'contacts.json');
    await writeFile(file, JSON.stringify([{ wa_id: '+15550100001', subscription: 'FALSE' }]));
    const json = runCli(['contacts', 'import', '--tenant', tenantId, '--file', file, '--json'], env);
    expect(await json.exited, json.stderr.join('')).toBe(0);
    expect(JSON.parse(json.stdout.join(''))).toMatchObject({ imported: 1 });

    const usage = runCli(['contacts', 'import', '--file', file], env);
    expect(await usage.exited).toBe(2);
    expect(usage.stderr.join('')).toMatch(/needs --tenant and --file/);
    const unknown = runCli(['contacts', 'import', '--tenant', '00000000-0000-4000-8000-000000000000', '--file', file], env);
    expect(await unknown.exited).toBe(1);
    expect(unknown.stderr.join('')).toMatch(/no tenant/);
  });
});
