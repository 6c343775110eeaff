/**
 * Bad input never reaches a 5xx: every /api/v1 operation listed in the OpenAPI document is called
 * with junk ids, junk query values and junk bodies, as the operator and as a tenant, and must
 * answer in Meta's error shape (or succeed) — never a server error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../tenants/create-tenant.js';
import { startApiTest, type ApiTest } from './test-support.js';

/** Operations owned by this module (others' /api/v1 routes are tested by their modules). */
const OWN = /^\/api\/v1\/(tenants|keys|wabas|phone-numbers|messages|inbound-messages|conversations)\b/;

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '0', '1e309', 'null', 'true', '%00', "'; select 1; --", '00000000-0000-4000-8000-000000000000', 'x'.repeat(90)),
);
const junkJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record({ name: fc.jsonValue(), tenant_id: fc.jsonValue(), waba_id: fc.jsonValue(), access_token: fc.jsonValue() }, { requiredKeys: [] }),
);

describe('bad input on /api/v1', () => {
  let t: ApiTest;
  let tenant: CreatedTenant;
  let operations: Array<{ method: 'GET' | 'POST' | 'DELETE'; path: string; query: string[] }>;

  beforeAll(async () => {
    t = await startApiTest();
    tenant = await t.tenant('Junk');
    await t.number(tenant.tenant_id);
    const doc = JSON.parse((await t.platform.app.inject('/api/v1/openapi.json')).body) as {
      paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }> }>>;
    };
    operations = Object.entries(doc.paths)
      .filter(([path]) => OWN.test(path))
      .flatMap(([path, item]) =>
        Object.entries(item).map(([method, op]) => ({
          method: method.toUpperCase() as 'GET' | 'POST' | 'DELETE',
          path,
          query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        })),
      );
    expect(operations.length).toBeGreaterThan(15);
  });
  afterAll(async () => t.close());

  it('answers junk with a 4xx in Meta’s shape, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        junkString,
        fc.dictionary(fc.constantFrom('limit', 'before', 'tenant_id', 'phone_number_id', 'recipient', 'status', 'from', 'wa_id', 'open', 'waba_id'), junkString),
        fc.option(junkJson),
        fc.boolean(),
        async (pick, id, query, body, asOperator) => {
          const op = operations[pick % operations.length]!;
          const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id) || 'x');
          const qs = new URLSearchParams(query).toString();
          const res = await t.call(op.method, `${path}${qs ? `?${qs}` : ''}`, asOperator ? t.operatorKey : tenant.api_key, body ?? undefined);
          expect(res.status, `${op.method} ${path}?${qs} ${JSON.stringify(body)} → ${JSON.stringify(res.json)}`).toBeLessThan(500);
          if (res.status >= 400) expect(typeof res.json.error.code).toBe('number');
        },
      ),
      { numRuns: 400 },
    );
  });
});
