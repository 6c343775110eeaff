/**
 * `switchboard dev` as a person runs it: the demo is seeded and written to demo.json, the printed
 * request delivers the template to the simulated consumer, whose automatic reply reaches the demo
 * tenant's webhook; SIGINT stops everything, PostgreSQL included; a second start reuses the data.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '@switchboard/runtime';
import type { DemoFile } from '../src/demo/demo-file.js';
import { runCli, type CliRun } from './run-cli.js';

type Demo = DemoFile;

function postgresRunningOn(dataDir: string): boolean {
  const out = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return out.split('\n').some((line) => line.includes('postgres') && line.includes(dataDir));
}

describe('switchboard dev', () => {
  let dir: string;
  const runs: CliRun[] = [];
  afterAll(async () => {
    for (const r of runs) r.child.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('seeds a working demo, stops cleanly and reuses its data', { timeout: 180_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-dev-'));
    await chmod(dir, 0o755);
    const env = {
      SWITCHBOARD_DATA_DIR: join(dir, 'data'),
      SWITCHBOARD_PG_PORT: String(await freePort()),
      PORT: String(await freePort()),
      EMULATOR_PORT: String(await freePort()),
      SWITCHBOARD_DEMO_WEBHOOK_PORT: String(await freePort()),
    };
    const first = runCli(['dev'], env);
    runs.push(first);
    await first.waitForLine(/^Ctrl-C stops everything/);
    const demo = JSON.parse(await readFile(join(env.SWITCHBOARD_DATA_DIR, 'demo.json'), 'utf8')) as Demo;
    expect(Object.keys(demo)).toEqual(
      expect.arrayContaining(['platform_url', 'emulator_url', 'api_key', 'phone_number_id', 'waba_id', 'webhook_secret', 'template', 'consumer_wa_id']),
    );
    expect(first.stdout.join('\n')).toContain(`curl -sS -X POST '${demo.platform_url}/v23.0/${demo.phone_number_id}/messages'`);

    // What the printed curl does.
    const sent = await fetch(`${demo.platform_url}/v23.0/${demo.phone_number_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demo.api_key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        messaging_product: 'whatsapp',
        to: demo.consumer_wa_id,
        type: 'template',
        template: {
          name: demo.template.name,
          language: { code: demo.template.language },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }, { type: 'text', text: 'SB-1001' }] }],
        },
      }),
    });
    expect(sent.status).toBe(200);
    await first.waitForLine(/webhook ← status delivered/);
    await first.waitForLine(/webhook ← message from 15550009999: Thanks! Got it\./);
    const inbox = (await (await fetch(`${demo.emulator_url}/_emulator/users/${demo.consumer_wa_id}/messages`)).json()) as { data: unknown[] };
    expect(inbox.data.length).toBeGreaterThan(0);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(postgresRunningOn(env.SWITCHBOARD_DATA_DIR)).toBe(false);

    const second = runCli(['dev'], env);
    runs.push(second);
    await second.waitForLine(/^Ctrl-C stops everything/);
    const again = JSON.parse(await readFile(join(env.SWITCHBOARD_DATA_DIR, 'demo.json'), 'utf8')) as Demo;
    expect(again.api_key).toBe(demo.api_key);
    expect(again.tenant_id).toBe(demo.tenant_id);
    expect(again.phone_number_id).toBe(demo.phone_number_id);
    const history = await fetch(`${again.platform_url}/api/v1/messages`, { headers: { authorization: `Bearer ${again.api_key}` } });
    expect(((await history.json()) as { data: unknown[] }).data.length).toBe(1);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(postgresRunningOn(env.SWITCHBOARD_DATA_DIR)).toBe(false);
  });
});
