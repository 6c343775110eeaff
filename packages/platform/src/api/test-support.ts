/**
 * For the /api/v1 tests that need no Meta: the platform on a fresh database, called in-process
 * (app.inject, no socket), with a frozen clock, no workers, and helpers that write the rows other
 * modules would (numbers, messages, attempts, statuses, inbound messages, windows) straight into
 * the database. The Graph base URL points nowhere: these tests must not call Meta.
 */
import { VirtualClock } from '@switchboard/runtime';
import type { Platform } from '../server.js';
import { createTenant, type CreatedTenant } from '../tenants/create-tenant.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { createTestPlatform } from '../../test/test-platform.js';

/** A JSON answer, read field by field in assertions (typing every answer would only restate the schemas). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type AnswerJson = any;
export interface Answer {
  status: number;
  json: AnswerJson;
}

export interface ApiTest {
  platform: Platform;
  db: TestDatabase;
  clock: VirtualClock;
  operatorKey: string;
  call(method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, body?: unknown): Promise<Answer>;
  tenant(name?: string): Promise<CreatedTenant>;
  /** A WABA with one number for a tenant, as attaching would store it. */
  number(tenantId: string, ids?: { wabaId?: string; phoneNumberId?: string }): Promise<{ wabaId: string; phoneNumberId: string }>;
  /** An outbound message; returns its internal id. */
  message(row: { tenantId: string; phoneNumberId: string; wamid: string; recipient?: string; status?: string; metaWamid?: string; at?: Date }): Promise<string>;
  close(): Promise<void>;
}

let nextId = 100_000_000_000_000 + Math.floor(Math.random() * 1e12);
export const graphId = (): string => String(nextId++);

export async function startApiTest(): Promise<ApiTest> {
  const db = await createTestDatabase();
  const clock = new VirtualClock({ frozen: true, startMs: Date.parse('2025-09-01T12:00:00Z') });
  const { platform, operatorKey, box } = createTestPlatform(db, clock, {
    graph: { baseUrl: 'http://127.0.0.1:9', version: 'v23.0', timeoutMs: 1_000 },
    meta: { appId: undefined, appSecret: undefined, verifyToken: undefined },
    workers: false,
  });
  await platform.app.ready();
  const { sql } = db;

  return {
    platform,
    db,
    clock,
    operatorKey,
    async call(method, url, token, body) {
      const response = await platform.app.inject({
        method,
        url,
        headers: {
          ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      let json: unknown;
      try {
        json = response.body ? JSON.parse(response.body) : undefined;
      } catch {
        json = response.body;
      }
      return { status: response.statusCode, json };
    },
    tenant: (name = 'Tenant') => createTenant(sql, box, name),
    async number(tenantId, ids = {}) {
      const wabaId = ids.wabaId ?? graphId();
      const phoneNumberId = ids.phoneNumberId ?? graphId();
      await sql`insert into wabas (id, tenant_id, name, access_token_enc) values (${wabaId}, ${tenantId}, 'WABA', ${box.seal('token')})
                on conflict do nothing`;
      await sql`insert into phone_numbers (id, tenant_id, waba_id, display_phone_number, quality_rating, status)
                values (${phoneNumberId}, ${tenantId}, ${wabaId}, '+1 555-010-0001', 'GREEN', 'CONNECTED')`;
      return { wabaId, phoneNumberId };
    },
    async message(row) {
      const at = row.at ?? new Date(clock.now());
      const [inserted] = await sql<{ id: string }[]>`
        insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, status, meta_wamid, created_at, updated_at)
        values (${row.wamid}, ${row.tenantId}, ${row.phoneNumberId}, ${row.recipient ?? '15550100002'}, 'text',
                ${sql.json({ messaging_product: 'whatsapp', to: row.recipient ?? '15550100002', type: 'text', text: { body: 'hi' } })},
                ${row.status ?? 'accepted'}, ${row.metaWamid ?? null}, ${at}, ${at})
        returning id`;
      return inserted!.id;
    },
    async close() {
      await platform.close();
      await db.drop();
    },
  };
}
