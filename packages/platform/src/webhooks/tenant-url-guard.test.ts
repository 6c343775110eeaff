import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphError } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { readPlatformConfig } from '../config.js';
import { startHarness, type Harness } from './test-harness.js';
import { guardedAgent, LOOPBACK_NETWORKS, parseNetwork, TenantUrlGuard } from './tenant-url-guard.js';
import { getWebhookDefault, setWebhookDefault } from './webhook-default.js';
import { startWebhookDelivery } from './worker.js';

describe('TenantUrlGuard.allows', () => {
  const strict = new TenantUrlGuard();

  it('refuses loopback, private, link-local and reserved addresses, in every IPv6 form that carries one', () => {
    for (const address of [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
      '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1', '192.0.2.10',
      '::', '::1', 'fd00::1', 'fc00::1', 'fe80::1', 'ff02::1', '2001:db8::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '64:ff9b::a00:1', '64:ff9b::10.0.0.1', '2002:c0a8:101::1',
      'not an address', '',
    ]) {
      expect(strict.allows(address), address).toBe(false);
    }
  });

  it('allows public addresses', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2a00:1450:4001::1', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      expect(strict.allows(address), address).toBe(true);
    }
  });

  it('allows plain http only inside networks the operator allows', () => {
    const guard = new TenantUrlGuard(LOOPBACK_NETWORKS);
    expect(guard.allows('8.8.8.8', true)).toBe(false);
    expect(guard.allows('::ffff:8.8.8.8', true)).toBe(false);
    expect(guard.allows('127.0.0.1', true)).toBe(true);
    expect(guard.allows('::ffff:127.0.0.1', true)).toBe(true);
    expect(guard.refusalOf('8.8.8.8', true)?.message).toContain('use https');
    expect(guard.refusalOf('8.8.8.8', false)).toBeUndefined();
    expect(guard.refusalOf('10.0.0.1', true)?.message).toContain('is not a public address');
  });

  it('allows what the operator allows, and nothing more', () => {
    const guard = new TenantUrlGuard(['10.20.0.0/16', ...LOOPBACK_NETWORKS]);
    expect(guard.allows('10.20.3.4')).toBe(true);
    expect(guard.allows('::ffff:10.20.3.4')).toBe(true);
    expect(guard.allows('10.21.0.1')).toBe(false);
    expect(guard.allows('127.0.0.1')).toBe(true);
    expect(guard.allows('::1')).toBe(true);
    expect(guard.allows('169.254.169.254')).toBe(false);
  });

  it('refuses every address of a private IPv4 range, however it is written in IPv6', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(fc.constantFrom([10], [192, 168], [169, 254], [127]), octet, octet, octet, (head, b, c, d) => {
        const v4 = [...head, b, c, d].slice(0, 4).join('.');
        const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
        const parts = v4.split('.').map(Number) as [number, number, number, number];
        return (
          !strict.allows(v4) &&
          !strict.allows(`::ffff:${v4}`) &&
          !strict.allows(`::ffff:${hex(parts[0], parts[1])}:${hex(parts[2], parts[3])}`) &&
          !strict.allows(`64:ff9b::${hex(parts[0], parts[1])}:${hex(parts[2], parts[3])}`)
        );
      }),
    );
  });
});

describe('SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS', () => {
  const base = { SWITCHBOARD_ENCRYPTION_KEY: 'a'.repeat(64), SWITCHBOARD_OPERATOR_KEY: 'op' };

  it('is a comma-separated list of CIDRs or addresses, none by default', () => {
    expect(readPlatformConfig(base).SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(readPlatformConfig({ ...base, SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: ' 10.0.0.0/8, ::1 ,' }).SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS).toEqual(['10.0.0.0/8', '::1']);
  });

  it('names the variable and the bad entry when one is not a network', () => {
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/8/1', '::1/129', '10.0.0.0/-1', '10.0.0.0/']) {
      expect(() => readPlatformConfig({ ...base, SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: bad }), bad).toThrow(/SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS/);
    }
    expect(parseNetwork('192.168.0.0/16')).toEqual({ address: '192.168.0.0', prefix: 16, family: 'ipv4' });
  });
});

describe('a platform that allows no loopback', () => {
  let h: Harness;
  let strict: PlatformContext;
  beforeAll(async () => {
    h = await startHarness();
    strict = { ...h.ctx, tenantHttp: guardedAgent(new TenantUrlGuard()) };
  });
  afterAll(async () => {
    await strict.tenantHttp.close();
    await h.close();
  });

  it('refuses a callback URL on loopback, by address or by name, before any request, and stores nothing', async () => {
    const tenant = await h.tenant('Guarded');
    const receiver = await h.receiver();
    const port = new URL(receiver.url).port;
    for (const [url, reason] of [
      [receiver.url, '127.0.0.1 is not a public address'],
      [`http://localhost:${port}/hook`, 'localhost resolves to'],
      [`http://[::1]:${port}/hook`, '::1 is not a public address'],
      [`http://2130706433:${port}/hook`, '127.0.0.1 is not a public address'],
      ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is not a public address'],
      ['http://8.8.8.8/hook', 'http://8.8.8.8 is not allowed: use https'],
    ] as const) {
      const err = await setWebhookDefault(strict, tenant.tenant_id, { kind: 'set', url, verifyToken: receiver.verifyToken }).catch((e: unknown) => e);
      expect(err, url).toBeInstanceOf(GraphError);
      const body = (err as GraphError).toBody().error;
      expect(body.code).toBe(100);
      expect(body.message).toContain('Callback verification failed');
      expect(body.message).toContain(reason);
    }
    expect(receiver.handshakes).toBe(0);
    expect((await getWebhookDefault(strict, tenant.tenant_id)).url).toBeNull();
  });

  it('does not deliver to a stored URL that is not public: each attempt fails with the reason and the event stays pending for a retry', async () => {
    const tenant = await h.tenant('Stored');
    const receiver = await h.receiver();
    // Stored while loopback was allowed (the harness's own context), then the allowance is gone.
    expect((await h.call('PUT', '/api/v1/webhooks', tenant.api_key, { url: receiver.url, verify_token: receiver.verifyToken })).status).toBe(200);
    await h.enqueue([{ tenantId: tenant.tenant_id, wabaId: tenant.wabaId, field: 'account_update', value: { event: 'X' }, orderingKey: `waba:${tenant.wabaId}` }]);
    const worker = await startWebhookDelivery(strict, { sweepMs: 50 });
    try {
      await expect
        .poll(async () => (await h.db.sql<{ error: string }[]>`select error from webhook_attempts where tenant_id = ${tenant.tenant_id}`)[0]?.error, { timeout: 20_000 })
        .toContain('127.0.0.1 is not a public address');
    } finally {
      await worker.close();
    }
    expect(receiver.attempts).toBe(0);
    const [event] = await h.db.sql<{ state: string }[]>`select state from webhook_events where tenant_id = ${tenant.tenant_id}`;
    expect(event!.state).toBe('pending');
  });
});
