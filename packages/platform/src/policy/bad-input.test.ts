/**
 * Bad input on the policy and templates routes never reaches a 5xx: every such /api/v1 operation
 * is called with junk ids, query values and bodies, as the operator and as a tenant, and answers
 * in Meta's error shape (or succeeds). Meta is unreachable here: a sync reports it per WABA, a
 * dry run decides on the local copy.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTest, type ApiTest } from '../api/test-support.js';
import type { CreatedTenant } from '../tenants/create-tenant.js';

const OWN = /^\/api\/v1\/(policy|templates|messages:check)\b/;

const junkString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('', ' ', '-1', '0', '1e309', 'null', 'true', '%00', "'; select 1; --", '00000000-0000-4000-8000-000000000000', 'x'.repeat(90)),
);

describe('bad input on the policy and templates routes', () => {
  let t: ApiTest;
  let tenant: CreatedTenant;
  let phoneNumberId: string;
  let operations: Array<{ method: 'GET' | 'POST' | 'PUT'; path: string }>;

  beforeAll(async () => {
    t = await startApiTest();
    tenant = await t.tenant('Junk');
    ({ phoneNumberId } = await t.number(tenant.tenant_id));
    const doc = JSON.parse((await t.platform.app.inject('/api/v1/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
    operations = Object.entries(doc.paths)
      .filter(([path]) => OWN.test(path))
      .flatMap(([path, item]) => Object.keys(item).map((method) => ({ method: method.toUpperCase() as 'GET' | 'POST' | 'PUT', path })));
    expect(operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'GET /api/v1/policy',
      'GET /api/v1/templates',
      'GET /api/v1/templates/{id}',
      'POST /api/v1/messages:check',
      'POST /api/v1/templates:sync',
      'PUT /api/v1/policy',
    ]);
  });
  afterAll(async () => t.close());

  it('answers junk with a 4xx in Meta’s shape, never a 5xx', async () => {
    const junkBody = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record(
        {
          phone_number_id: fc.oneof(fc.constant(phoneNumberId), fc.jsonValue()),
          message: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.record({ messaging_product: fc.constant('whatsapp'), to: fc.oneof(fc.constant('15550100009'), junkString), type: fc.constantFrom('text', 'template', 'image', 'x'), text: fc.jsonValue(), template: fc.jsonValue() }, { requiredKeys: [] }),
          ),
          window_enforcement: fc.jsonValue(),
          over_limit: fc.jsonValue(),
          require_opt_in_for_marketing: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        junkString,
        fc.dictionary(fc.constantFrom('limit', 'before', 'tenant_id', 'waba_id', 'name', 'language', 'status', 'category'), junkString),
        fc.option(junkBody),
        fc.boolean(),
        async (pick, id, query, body, asOperator) => {
          const op = operations[pick % operations.length]!;
          const path = op.path.replace(/\{[^}]+\}/g, encodeURIComponent(id) || 'x');
          const qs = new URLSearchParams(query).toString();
          const res = await t.call(op.method as 'GET', `${path}${qs ? `?${qs}` : ''}`, asOperator ? t.operatorKey : tenant.api_key, body ?? undefined);
          expect(res.status, `${op.method} ${path}?${qs} ${JSON.stringify(body)} → ${JSON.stringify(res.json)}`).toBeLessThan(500);
          if (res.status >= 400) expect(typeof res.json.error.code).toBe('number');
        },
      ),
      { numRuns: 300 },
    );
  });
});
