import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureResult } from './fixtures.js';
import { startEmulator, type TestEmulator } from '../assets/test-support.js';
import { compilePath } from './faults.js';

/** A POST on its own connection: its status, 'gave-up' after `clientTimeoutMs`, or 'dropped'. */
function post(url: string, clientTimeoutMs: number): Promise<number | 'gave-up' | 'dropped'> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(clientTimeoutMs, () => {
      resolve('gave-up');
      req.destroy();
    });
    req.on('error', () => resolve('dropped'));
    req.end('{}');
  });
}

describe('fault injection', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  beforeEach(async () => {
    t = await startEmulator();
    f = await t.fixture();
  });
  afterEach(() => t.close());
  const addFault = (json: unknown) => t.call('POST', '/_emulator/faults', { json });
  const getPhone = () => t.call('GET', `/v23.0/${f.phone_number_id}`, { token: f.access_token });

  it('compiles route patterns and regular expressions', () => {
    expect(compilePath('/:id/messages').test('/123/messages')).toBe(true);
    expect(compilePath('/v23.0/:id/messages').test('/123/messages')).toBe(true);
    expect(compilePath('/:id/messages').test('/123/media')).toBe(false);
    expect(compilePath('/:id/*').test('/123/a/b')).toBe(true);
    expect(compilePath('^/\\d+$').test('/123')).toBe(true);
  });

  it('fails the next N matching requests with a burst, then is spent', async () => {
    const added = await addFault({ match: { method: 'GET', path: '/:id' }, status: 503, burst: 2 });
    expect(added.body.rules[0]).toMatchObject({ match: { method: 'GET', path: '/:id' }, status: 503, burst_remaining: 2 });
    const first = await getPhone();
    expect(first.status).toBe(503);
    expect(first.body.error).toMatchObject({ code: 2, is_transient: true, type: 'OAuthException' });
    expect((await getPhone()).status).toBe(503);
    expect((await getPhone()).status).toBe(200);
    expect((await t.call('GET', '/_emulator/faults')).body).toEqual({ rules: [] });
  });

  it('answers Meta codes with their catalogue status, and only on matching requests', async () => {
    await addFault({ match: { path: '/:id/messages' }, code: 130429 });
    expect((await getPhone()).status).toBe(200);
    const throttled = await t.call('POST', `/v23.0/${f.phone_number_id}/messages`, { token: f.access_token, json: {} });
    expect(throttled.status).toBe(400);
    expect(throttled.body.error).toMatchObject({ code: 130429, is_transient: true });
    expect(throttled.body.error.error_data.details).toContain('fault rule');
    // The control API is never faulted.
    expect((await t.call('GET', '/_emulator/faults')).status).toBe(200);
    expect((await t.call('DELETE', '/_emulator/faults')).body).toEqual({ success: true, removed: 1 });
  });

  it('fails a repeatable share of requests from a seed, or every Nth', async () => {
    const run = async () => {
      await t.call('DELETE', '/_emulator/faults');
      await addFault({ match: { path: '/:id' }, status: 500, error_rate: 0.5, seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await getPhone()).status);
      return statuses;
    };
    const a = await run();
    const b = await run();
    expect(a).toEqual(b);
    expect(a.filter((s) => s === 500).length).toBeGreaterThan(3);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
    const counters = (await t.call('GET', '/_emulator/faults')).body.rules[0];
    expect(counters).toMatchObject({ matched: 20, injected: a.filter((s) => s === 500).length, seed: 42 });

    await t.call('DELETE', '/_emulator/faults');
    await addFault({ match: { path: '/:id' }, code: 131000, every: 3 });
    const every: number[] = [];
    for (let i = 0; i < 6; i++) every.push((await getPhone()).status);
    expect(every).toEqual([200, 200, 500, 200, 200, 500]);
  });

  it('adds latency and holds requests until the client gives up', async () => {
    const [slow] = (await addFault({ match: { path: '/:id' }, latency_ms: 30 })).body.rules;
    expect((await getPhone()).status).toBe(200);
    await t.call('DELETE', `/_emulator/faults/${slow.id}`);

    await addFault({ match: { path: '/:id/messages' }, timeout: true, timeout_ms: 5_000 });
    expect(await post(`${t.url}/v23.0/${f.phone_number_id}/messages`, 100)).toBe('gave-up');
    // A bounded hold ends by dropping the connection.
    await t.call('DELETE', '/_emulator/faults');
    await addFault({ match: { path: '/:id/messages' }, timeout: true, timeout_ms: 50 });
    expect(await post(`${t.url}/${f.phone_number_id}/messages`, 5_000)).toBe('dropped');
    const counters = (await t.call('GET', '/_emulator/faults')).body.rules[0];
    expect(counters).toMatchObject({ matched: 1, injected: 1, timeout: true, timeout_ms: 50 });
    expect((await getPhone()).status).toBe(200);
  });

  it('refuses bad rules with 100 and forgets rules on reset', async () => {
    for (const rule of [
      {},
      { error_rate: 2, status: 500 },
      { status: 200 },
      { match: { path: '^(' }, status: 500 },
      { match: { method: 'FETCH' }, status: 500 },
      { match: 'x', status: 500 },
      { burst: 2 },
      { latency_ms: -1 },
      { timeout: 'yes' },
      'not a rule',
    ]) {
      const res = await addFault(rule);
      expect(res.status, JSON.stringify(rule)).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
    await addFault({ rules: [{ status: 500, burst: 1 }, { latency_ms: 1 }] });
    expect((await t.call('GET', '/_emulator/faults')).body.rules).toHaveLength(2);
    await t.call('POST', '/_emulator/reset');
    expect((await t.call('GET', '/_emulator/faults')).body.rules).toHaveLength(0);
    expect((await t.call('DELETE', '/_emulator/faults/fault_x')).status).toBe(400);
  });
});
