/**
 * Bulk import through POST /api/v1/contacts/import (in-process, real database): 100,000 generated
 * CSV rows (20,000 when CI=true) with bad rows sprinkled in — every good row imported, every bad
 * row reported by number and skipped; the same file again changes nothing; a changed file updates
 * only what changed, with an audit row for each changed status. Timings are logged, not asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedTenant } from '../tenants/create-tenant.js';
import { startApiTest, type ApiTest } from '../api/test-support.js';

const ROWS = process.env.CI === 'true' ? 20_000 : 100_000;
/** Every 1,000th row is bad in one of three ways. */
const BAD_EVERY = 1_000;

const phone = (i: number) => `+81 90-${String(1000 + Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`;
const waId = (i: number) => phone(i).replace(/\D/g, '');

function csv(rows: number, statusOf: (i: number) => string): { text: string; bad: number[] } {
  const lines = ['phone,subscription,name'];
  const bad: number[] = [];
  for (let i = 0; i < rows; i++) {
    const row = i + 1;
    if (row % BAD_EVERY === 0) {
      bad.push(row);
      const kind = (row / BAD_EVERY) % 3;
      lines.push(kind === 0 ? 'not-a-number,TRUE,Bad' : kind === 1 ? `${phone(i)},maybe,Bad` : `12,FALSE,Bad`);
    } else {
      lines.push(`${phone(i)},${statusOf(i)},Person ${i}`);
    }
  }
  return { text: `${lines.join('\n')}\n`, bad };
}

describe('contact import', () => {
  let t: ApiTest;
  let tenant: CreatedTenant;

  beforeAll(async () => {
    t = await startApiTest();
    tenant = await t.tenant('Importer');
  });
  afterAll(async () => t.close());

  async function importCsv(text: string, query = '') {
    const started = performance.now();
    const res = await t.platform.app.inject({
      method: 'POST',
      url: `/api/v1/contacts/import${query}`,
      headers: { authorization: `Bearer ${tenant.api_key}`, 'content-type': 'text/csv' },
      payload: text,
    });
    return { status: res.statusCode, json: JSON.parse(res.body), ms: performance.now() - started };
  }

  const events = async () => (await t.db.sql<{ n: number }[]>`select count(*)::int as n from contact_events where tenant_id = ${tenant.tenant_id}`)[0]!.n;

  it(`imports ${ROWS.toLocaleString('en')} rows with a per-row error report, and again idempotently`, async () => {
    const status = (i: number) => (i % 3 === 0 ? 'TRUE' : i % 3 === 1 ? 'FALSE' : '');
    const file = csv(ROWS, status);
    const good = ROWS - file.bad.length;

    const first = await importCsv(file.text, '?proof=signup%20export');
    expect(first.status, JSON.stringify(first.json).slice(0, 500)).toBe(200);
    expect(first.json).toMatchObject({ rows: ROWS, imported: good, updated: 0, unchanged: 0, error_count: file.bad.length });
    expect(first.json.errors.map((e: { row: number }) => e.row)).toEqual(file.bad);
    for (const e of first.json.errors) expect(e.error).toMatch(/not a phone number|subscription/);
    const [counts] = await t.db.sql<{ yes: number; no: number; unset: number }[]>`
      select count(*) filter (where subscription) ::int as yes, count(*) filter (where not subscription)::int as no,
             count(*) filter (where subscription is null)::int as unset
      from contacts where tenant_id = ${tenant.tenant_id}`;
    const expected = { yes: 0, no: 0, unset: 0 };
    for (let i = 0; i < ROWS; i++) if ((i + 1) % BAD_EVERY !== 0) expected[status(i) === 'TRUE' ? 'yes' : status(i) === 'FALSE' ? 'no' : 'unset']++;
    expect(counts).toEqual(expected);
    // An audit row for each status set, none for contacts left unset.
    expect(await events()).toBe(expected.yes + expected.no);

    const again = await importCsv(file.text);
    expect(again.json).toMatchObject({ rows: ROWS, imported: 0, updated: 0, unchanged: good, error_count: file.bad.length });
    expect(await events()).toBe(expected.yes + expected.no);

    // Every 10th contact changes its mind; an empty cell leaves a status as it is.
    const changed = csv(ROWS, (i) => (i % 10 === 0 ? (status(i) === 'FALSE' ? 'TRUE' : 'FALSE') : ''));
    const third = await importCsv(changed.text);
    const flips = Array.from({ length: ROWS }, (_, i) => i).filter((i) => i % 10 === 0 && (i + 1) % BAD_EVERY !== 0).length;
    expect(third.json).toMatchObject({ imported: 0, updated: flips, unchanged: good - flips });
    expect(await events()).toBe(expected.yes + expected.no + flips);

    console.log(
      `contact import of ${ROWS.toLocaleString('en')} CSV rows: first ${(first.ms / 1000).toFixed(2)} s, ` +
        `again (all unchanged) ${(again.ms / 1000).toFixed(2)} s, with ${flips} changes ${(third.ms / 1000).toFixed(2)} s`,
    );
  });

  it('keeps the audit trail of a contact across imports', async () => {
    const res = await t.call('GET', `/api/v1/contacts/${waId(0)}`, tenant.api_key);
    expect(res.status).toBe(200);
    // Row 1 (i = 0) was TRUE, then flipped to FALSE by the third import.
    expect(res.json).toMatchObject({ wa_id: waId(0), subscription: 'FALSE', name: 'Person 0' });
    expect(res.json.events).toEqual([
      expect.objectContaining({ from: 'TRUE', to: 'FALSE', source: 'import', actor: expect.stringMatching(/^key:/), proof: null }),
      expect.objectContaining({ from: null, to: 'TRUE', source: 'import', proof: 'signup export' }),
    ]);
  });

  it('imports JSON too, and refuses a body it cannot read with 100 and no change', async () => {
    const json = await t.call('POST', '/api/v1/contacts/import', tenant.api_key, [
      { wa_id: '+44 7700 900123', subscription: true, name: 'Ada', proof: 'paper form #12' },
      { phone: '447700900124', subscription: 'no' },
      { phone: 'nope' },
    ]);
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({ rows: 3, imported: 2, error_count: 1, errors: [{ row: 3, error: expect.stringMatching(/not a phone number/) }] });
    const single = await t.call('POST', '/api/v1/contacts/import', tenant.api_key, [{ phone: '+44 7700 900125', subscription: 'TRUE' }]);
    expect(single.json).toMatchObject({ rows: 1, imported: 1, error_count: 0 });
    const ada = await t.call('GET', '/api/v1/contacts/447700900123', tenant.api_key);
    expect(ada.json.events[0]).toMatchObject({ to: 'TRUE', source: 'import', proof: 'paper form #12' });

    const before = await events();
    for (const body of ['', 'name,subscription\nAda,TRUE\n']) {
      const res = await importCsv(body);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe(100);
    }
    const wrong = await t.call('POST', '/api/v1/contacts/import', tenant.api_key, { people: [] });
    expect(wrong.status).toBe(400);
    expect((await importCsv('phone\n+15550100001\n', '?calling_code=abc')).json.error.code).toBe(100);
    expect(await events()).toBe(before);
  });
});
