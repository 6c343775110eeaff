/**
 * Contacts under /api/v1 and the opt-in rule as a function (in-process, real database): single
 * and batch updates with their audit trail, listing and search, keywords, checkOptIn's answers,
 * tenant isolation, and junk input answered in Meta's shape, never a 5xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, GraphError } from '@switchboard/wire';
import type { CreatedTenant } from '../tenants/create-tenant.js';
import { startApiTest, type Answer, type ApiTest } from '../api/test-support.js';
import { setTenantPolicy } from '../policy/tenant-policy.js';
import { checkOptIn, NOT_OPTED_IN_DETAILS, STOPPED_DETAILS } from './check-opt-in.js';
import { setSubscription } from './set-subscription.js';

describe('contacts API and opt-in', () => {
  let t: ApiTest;
  let a: CreatedTenant;
  let b: CreatedTenant;

  beforeAll(async () => {
    t = await startApiTest();
    a = await t.tenant('A');
    b = await t.tenant('B');
  });
  afterAll(async () => t.close());

  const put = (tenant: CreatedTenant, waId: string, body: unknown) =>
    t.platform.app
      .inject({ method: 'PUT', url: `/api/v1/contacts/${waId}`, headers: { authorization: `Bearer ${tenant.api_key}` }, payload: body as object })
      .then((r): Answer => ({ status: r.statusCode, json: JSON.parse(r.body) }));

  async function optIn(tenantId: string, waId: string, category: string | undefined): Promise<number | undefined> {
    try {
      await checkOptIn(t.platform.ctx, tenantId, waId, category);
      return undefined;
    } catch (err) {
      expect(err).toBeInstanceOf(GraphError);
      return (err as GraphError).code;
    }
  }

  it('sets a subscription with proof and keeps every change in the audit trail', async () => {
    const first = await put(a, '+15550100001', { subscription: 'TRUE', name: 'Ada', proof: 'checkout consent box' });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toMatchObject({ wa_id: '15550100001', subscription: 'TRUE', name: 'Ada', tenant_id: a.tenant_id });
    const second = await put(a, '15550100001', { subscription: false, proof: 'phone call', source: 'dashboard' });
    expect(second.json.subscription).toBe('FALSE');
    const same = await put(a, '15550100001', { subscription: 'false' });
    expect(same.json.events).toHaveLength(2);
    const unset = await put(a, '15550100001', { subscription: null });
    expect(unset.json.subscription).toBeNull();
    expect(unset.json.events.map((e: { from: string; to: string; source: string; proof: string }) => [e.from, e.to, e.source, e.proof])).toEqual([
      ['FALSE', null, 'api', null],
      ['TRUE', 'FALSE', 'dashboard', 'phone call'],
      [null, 'TRUE', 'api', 'checkout consent box'],
    ]);
    expect(unset.json.events[0].actor).toMatch(/^key:[0-9a-f-]{36}$/);
    const byOperator = await t.platform.app.inject({
      method: 'PUT',
      url: `/api/v1/contacts/15550100001?tenant_id=${a.tenant_id}`,
      headers: { authorization: `Bearer ${t.operatorKey}` },
      payload: { subscription: 'TRUE' },
    });
    expect(JSON.parse(byOperator.body).events[0]).toMatchObject({ to: 'TRUE', actor: 'operator' });
  });

  it('updates a batch with per-row results and errors', async () => {
    const res = await t.call('POST', '/api/v1/contacts/batch', a.api_key, {
      contacts: [
        { wa_id: '15550100002', subscription: 'FALSE' },
        { wa_id: 15550100003, subscription: 'TRUE', name: 'Bo' },
        { wa_id: 'garbage' },
        { wa_id: '15550100001', subscription: 'TRUE' },
        { wa_id: '+1 555 010 0002', subscription: 'yes' },
      ],
      proof: 'CRM sync',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json).toMatchObject({ rows: 5, imported: 2, updated: 0, unchanged: 1, error_count: 2 });
    expect(res.json.errors.map((e: { row: number }) => e.row)).toEqual([1, 3]);
    expect(res.json.results).toEqual([
      { row: 2, wa_id: '15550100003', outcome: 'imported' },
      { row: 4, wa_id: '15550100001', outcome: 'unchanged' },
      { row: 5, wa_id: '15550100002', outcome: 'imported' },
    ]);
    const detail = await t.call('GET', '/api/v1/contacts/15550100002', a.api_key);
    expect(detail.json).toMatchObject({ subscription: 'TRUE', events: [{ from: null, to: 'TRUE', source: 'api', proof: 'CRM sync' }] });
  });

  it('lists in number order with status filter, search and paging', async () => {
    const all = await t.call('GET', '/api/v1/contacts?limit=2', a.api_key);
    expect(all.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100001', '15550100002']);
    const next = await t.call('GET', `/api/v1/contacts?limit=2&before=${all.json.paging.before}`, a.api_key);
    expect(next.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100003']);
    expect(next.json.paging.before).toBeNull();
    await put(a, '15550100009', {});
    const unset = await t.call('GET', '/api/v1/contacts?subscription=UNSET', a.api_key);
    expect(unset.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100009']);
    const named = await t.call('GET', '/api/v1/contacts?search=bo', a.api_key);
    expect(named.json.data.map((c: { wa_id: string }) => c.wa_id)).toEqual(['15550100003']);
    const prefix = await t.call('GET', '/api/v1/contacts?search=%2B155501000', a.api_key);
    expect(prefix.json.data).toHaveLength(4);
    expect((await t.call('GET', '/api/v1/contacts', b.api_key)).json.data).toEqual([]);
  });

  it('refuses marketing to a FALSE contact with 131050, and to an unset one only when the tenant requires opt-in', async () => {
    await put(a, '15550100020', { subscription: 'FALSE' });
    await put(a, '15550100021', { subscription: 'TRUE' });
    expect(await optIn(a.tenant_id, '15550100020', 'marketing')).toBe(ErrorCode.UserStoppedMarketing);
    // FALSE is Meta's marketing opt-out: utility, authentication and service messages still go.
    for (const category of ['utility', 'authentication', 'service', undefined]) expect(await optIn(a.tenant_id, '15550100020', category)).toBeUndefined();
    expect(await optIn(a.tenant_id, '15550100021', 'marketing')).toBeUndefined();
    expect(await optIn(a.tenant_id, '15550100099', 'marketing')).toBeUndefined();
    // The same user is another tenant's contact: A's FALSE does not reach B.
    expect(await optIn(b.tenant_id, '15550100020', 'marketing')).toBeUndefined();

    await setTenantPolicy(t.platform.ctx, a.tenant_id, { requireOptInForMarketing: true });
    try {
      expect(await optIn(a.tenant_id, '15550100099', 'marketing')).toBe(ErrorCode.UserStoppedMarketing);
      expect(await optIn(a.tenant_id, '15550100009', 'marketing')).toBe(ErrorCode.UserStoppedMarketing);
      expect(await optIn(a.tenant_id, '15550100021', 'marketing')).toBeUndefined();
      expect(await optIn(a.tenant_id, '15550100099', 'utility')).toBeUndefined();
      const err = await checkOptIn(t.platform.ctx, a.tenant_id, '15550100099', 'marketing').catch((e: GraphError) => e);
      expect((err as GraphError).details).toBe(NOT_OPTED_IN_DETAILS);
      const stopped = await checkOptIn(t.platform.ctx, a.tenant_id, '15550100020', 'MARKETING').catch((e: GraphError) => e);
      expect((stopped as GraphError).details).toBe(STOPPED_DETAILS);
    } finally {
      await setTenantPolicy(t.platform.ctx, a.tenant_id, { requireOptInForMarketing: false });
    }
  });

  it('does not let a late keyword or Meta webhook undo a newer change', async () => {
    const now = new Date(t.clock.now());
    const change = (subscription: boolean, atMs: number, source: 'keyword' | 'meta') =>
      t.db.sql.begin((tx) =>
        setSubscription(tx, { tenantId: a.tenant_id, waId: '15550100040', subscription, source, actor: 'test', proof: null, at: new Date(atMs), now }),
      );
    expect(await change(false, now.getTime(), 'keyword')).toBe('created');
    expect(await change(true, now.getTime() - 5_000, 'meta')).toBe('stale');
    expect(await change(false, now.getTime() + 1, 'meta')).toBe('unchanged');
    expect(await change(true, now.getTime() + 2, 'keyword')).toBe('updated');
    expect((await t.call('GET', '/api/v1/contacts/15550100040', a.api_key)).json.events.map((e: { to: string }) => e.to)).toEqual(['TRUE', 'FALSE']);
  });

  it('shows, replaces and resets the keywords', async () => {
    const defaults = await t.call('GET', '/api/v1/contact-keywords', a.api_key);
    expect(defaults.json.custom).toBe(false);
    expect(defaults.json.languages.find((l: { language: string }) => l.language === 'ja').opt_out).toEqual(expect.arrayContaining(['停止', '配信停止']));
    const set = await t.platform.app.inject({
      method: 'PUT',
      url: '/api/v1/contact-keywords',
      headers: { authorization: `Bearer ${a.api_key}` },
      payload: { languages: [{ language: 'en', opt_out: ['STOP'], opt_in: ['START'], opt_out_reply: 'You will get no more messages. Reply START to resume.' }] },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(JSON.parse(set.body)).toEqual({
      custom: true,
      languages: [{ language: 'en', opt_out: ['STOP'], opt_in: ['START'], opt_out_reply: 'You will get no more messages. Reply START to resume.', opt_in_reply: null }],
    });
    const bad = await t.platform.app.inject({
      method: 'PUT',
      url: '/api/v1/contact-keywords',
      headers: { authorization: `Bearer ${a.api_key}` },
      payload: { languages: [{ language: 'en', opt_out: ['!!!'], opt_in: [] }] },
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.call('GET', '/api/v1/contact-keywords', b.api_key)).json.custom).toBe(false);
    const reset = await t.call('DELETE', '/api/v1/contact-keywords', a.api_key);
    expect(reset.json.custom).toBe(false);
  });

  it("never shows one tenant's contacts to another; their ids answer like unknown ones", async () => {
    const theirs = await t.call('GET', '/api/v1/contacts/15550100001', b.api_key);
    const unknown = await t.call('GET', '/api/v1/contacts/15550109999', b.api_key);
    expect(theirs.status).toBe(400);
    expect(theirs.json.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect(theirs.json.error.message.replace('15550100001', 'X')).toBe(unknown.json.error.message.replace('15550109999', 'X'));
    for (const path of ['/api/v1/contacts', '/api/v1/contacts/15550100001', '/api/v1/contact-keywords', '/api/v1/limits', '/api/v1/alerts']) {
      const named = await t.call('GET', `${path}${path.includes('?') ? '&' : '?'}tenant_id=${a.tenant_id}`, b.api_key);
      expect(named.status, path).toBe(400);
      expect(named.json.error, path).toMatchObject({ code: 100, error_subcode: 33 });
    }
    const other = await t.call('POST', '/api/v1/contacts/batch', b.api_key, { contacts: [{ wa_id: '15550100001', subscription: 'TRUE' }] });
    expect(other.json.imported).toBe(1);
    expect((await t.call('GET', '/api/v1/contacts/15550100001', a.api_key)).json.subscription).toBe('TRUE');
    const [own] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from contact_events where tenant_id = ${b.tenant_id}`;
    expect(own!.n).toBe(1);
  });

  it('answers junk with a 4xx in Meta’s shape, never a 5xx', async () => {
    const junk = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' ', '-1', '1e309', 'null', '%00', "'; select 1; --", 'x'.repeat(90)));
    const junkJson = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ contacts: fc.jsonValue(), subscription: fc.jsonValue(), languages: fc.jsonValue(), wa_id: fc.jsonValue() }, { requiredKeys: [] }),
    );
    const operations: Array<[string, string]> = [
      ['GET', '/api/v1/contacts'],
      ['GET', '/api/v1/contacts/{x}'],
      ['PUT', '/api/v1/contacts/{x}'],
      ['POST', '/api/v1/contacts/batch'],
      ['POST', '/api/v1/contacts/import'],
      ['PUT', '/api/v1/contact-keywords'],
      ['GET', '/api/v1/limits'],
      ['GET', '/api/v1/alerts'],
      ['GET', '/api/v1/alerts/{x}'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), junk, junk, junkJson, fc.boolean(), async ([method, path], id, value, body, operator) => {
        const query = ['tenant_id', 'subscription', 'search', 'limit', 'before', 'calling_code', 'kind', 'severity', 'since']
          .map((k) => `${k}=${encodeURIComponent(value)}`)
          .join('&');
        const url = `${path.replace('{x}', encodeURIComponent(id) || 'x')}?${query}`;
        const res = await t.platform.app.inject({
          method: method as 'GET',
          url,
          headers: { authorization: `Bearer ${operator ? t.operatorKey : a.api_key}`, 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { payload: JSON.stringify(body) }),
        });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(JSON.parse(res.body).error.code, res.body).toEqual(expect.any(Number));
      }),
      { numRuns: 300 },
    );
  });
});
