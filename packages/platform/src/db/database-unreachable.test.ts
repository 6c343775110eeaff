/**
 * While PostgreSQL cannot be reached (restarting, failing over), a request the platform cannot
 * serve is answered as Meta answers during its own downtime: 503 with code 2, retryable, and a
 * Retry-After — not the 500 of an unexpected error. Nothing was done, so the client sends the same
 * request again (with its Idempotency-Key, a send is made at most once). Here the platform's pool
 * reaches PostgreSQL through a TCP relay that is then closed: every connection is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '@switchboard/runtime';
import { TcpRelay, targetOf } from '../../test/tcp-relay.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { createTestPlatform } from '../../test/test-platform.js';
import type { Platform } from '../server.js';
import { createTenant } from '../tenants/create-tenant.js';
import { connect, type Sql } from './connect.js';

describe('the database unreachable', () => {
  let db: TestDatabase;
  let relay: TcpRelay;
  let pool: Sql;
  let platform: Platform;
  let url: string;
  let apiKey: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    relay = new TcpRelay(targetOf(db.url), () => false);
    pool = connect(await relay.listen(db.url), { max: 4 });
    const test = createTestPlatform({ ...db, sql: pool }, new VirtualClock({ frozen: true }), {
      graph: { baseUrl: 'http://127.0.0.1:9', version: 'v23.0' },
      meta: { appId: undefined, appSecret: undefined, verifyToken: undefined },
      workers: false,
    });
    platform = test.platform;
    url = await platform.listen(0);
    apiKey = (await createTenant(db.sql, test.box, 'Unreachable')).api_key;
  });
  afterAll(async () => {
    await platform.close();
    await pool.end({ timeout: 1 });
    await db.drop();
  });

  // A number id not looked up before: the lookup goes to the database (answers are cached a while).
  const send = (phoneNumberId: string) =>
    fetch(`${url}/v23.0/${phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': 'unreachable-1' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '15550901001', type: 'text', text: { body: 'hi' } }),
    });

  it("answers 503 with Meta's code 2 and a Retry-After, not a 500", async () => {
    // Reachable: the request is answered for what it is (a number the tenant does not have).
    const before = await send('1234567890');
    expect(before.status).toBeLessThan(500);

    await relay.close();
    const during = await send('1234567891');
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBe('1');
    const body = (await during.json()) as { error: { code: number; message: string; error_data?: { details?: string } } };
    expect(body.error.code).toBe(2);
    expect(body.error.message).toBe('(#2) Service temporarily unavailable');
    expect(body.error.error_data?.details).toContain('nothing was done');
  });
});
