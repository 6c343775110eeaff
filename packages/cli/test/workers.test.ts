import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../platform/test/test-db.js';
import { runCli } from './run-cli.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('switchboard serve --workers', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
  });

  it('serves from several processes on one port, replaces a killed worker, and stops them all', async () => {
    const db = await createTestDatabase({ empty: true });
    databases.push(db);
    const run = runCli(['serve', '--workers', '2'], {
      DATABASE_URL: db.url,
      PORT: '0',
      SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SWITCHBOARD_OPERATOR_KEY: 'operator-test-key',
    });
    try {
      const line = JSON.parse(await run.waitForLine(/"platform listening"/)) as { url: string; workers: number[] };
      expect(line.workers).toHaveLength(2);
      expect(line.url).not.toMatch(/:0$/);
      // Keep-alive off: each request is a new connection, dealt to the workers in turn.
      const answers = await Promise.all(Array.from({ length: 8 }, () => fetch(`${line.url}/readyz`, { headers: { connection: 'close' } })));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));

      process.kill(line.workers[0]!, 'SIGKILL');
      await run.waitForLine(/platform worker exited; starting another/);
      // The other worker serves meanwhile.
      await vi.waitFor(async () => expect((await fetch(`${line.url}/readyz`, { headers: { connection: 'close' } })).status).toBe(200));
      const replacement = (JSON.parse(await run.waitForLine(/"platform worker listening"/)) as { pid: number }).pid;
      expect(alive(replacement)).toBe(true);
      expect(alive(line.workers[0]!)).toBe(false);

      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      await vi.waitFor(() => expect([...line.workers, replacement].filter(alive)).toEqual([]));
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  });

  it('fails the start, stopping every worker, when the workers cannot listen', async () => {
    const db = await createTestDatabase({ empty: true });
    databases.push(db);
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const run = runCli(['serve', '--workers', '2', '--port', String(port)], {
        DATABASE_URL: db.url,
        SWITCHBOARD_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        SWITCHBOARD_OPERATOR_KEY: 'operator-test-key',
      });
      expect(await run.exited).not.toBe(0);
      expect(run.stderr.join('') + run.stdout.join('\n')).toMatch(/exited while starting/);
    } finally {
      taken.close();
    }
  });
});
