/**
 * Template webhooks applied to the local copy, against a real database: each field's effect, a
 * repeated webhook changing and announcing nothing, an unknown template making its WABA due for a
 * sync, and listeners told of every change inside the transaction.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../crypto/secret-box.js';
import { createTenant } from '../tenants/create-tenant.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { applyTemplateWebhook } from './apply-template-webhook.js';
import { onTemplateChange, type TemplateChange } from './template-events.js';
import type { TemplateRow } from './template-row.js';

const WABA = '900000000000001';
const ID = '7000000000000001';
const NOW = new Date('2025-09-01T12:00:00Z');

describe('applyTemplateWebhook', () => {
  let db: TestDatabase;
  const changes: TemplateChange[] = [];
  let stop: () => void;

  beforeAll(async () => {
    db = await createTestDatabase();
    const box = new SecretBox(randomBytes(32));
    const { tenant_id } = await createTenant(db.sql, box, 'T');
    await db.sql`insert into wabas (id, tenant_id, access_token_enc) values (${WABA}, ${tenant_id}, ${box.seal('t')})`;
    await db.sql`
      insert into templates (id, tenant_id, waba_id, name, language, category, components, status, quality_score, created_at, updated_at)
      values (${ID}, ${tenant_id}, ${WABA}, 'order_update', 'en_US', 'UTILITY', ${db.sql.json([{ type: 'BODY', text: 'Hi' }])}, 'APPROVED', 'GREEN', ${NOW}, ${NOW})`;
    stop = onTemplateChange(async (tx, change) => {
      if (change.wabaId !== WABA) return;
      // Listeners run inside the change's transaction: they see it.
      const [row] = await tx<{ version: number }[]>`select version from templates where id = ${change.templateId}`;
      expect(row?.version ?? null).toBe(change.current?.version ?? null);
      changes.push(change);
    });
  });
  afterAll(async () => {
    stop();
    await db.drop();
  });

  const apply = (field: string, value: Record<string, unknown>, now = NOW) => db.sql.begin((tx) => applyTemplateWebhook(tx, WABA, field, value, now));
  const row = async () => (await db.sql<TemplateRow[]>`select * from templates where id = ${ID}`)[0];
  const identity = { message_template_id: Number(ID), message_template_name: 'order_update', message_template_language: 'en_US' };

  it('records a first pause with its end, and the unpause', async () => {
    const pause = { event: 'PAUSED', ...identity, reason: 'NONE', other_info: { title: 'FIRST_PAUSE', description: 'paused for 3 hours' } };
    await apply('message_template_status_update', pause);
    expect(await row()).toMatchObject({ status: 'PAUSED', pause_reason: 'FIRST_PAUSE', paused_until: new Date(NOW.getTime() + 3 * 3_600_000), version: 2 });
    // Meta retries: the same webhook again changes and announces nothing.
    const before = changes.length;
    await apply('message_template_status_update', pause);
    expect((await row())!.version).toBe(2);
    expect(changes.length).toBe(before);
    await apply('message_template_status_update', { event: 'APPROVED', ...identity, reason: 'NONE', other_info: { title: 'UNPAUSE' } });
    expect(await row()).toMatchObject({ status: 'APPROVED', pause_reason: null, paused_until: null, version: 3 });
    expect(changes.map((c) => [c.kind, c.previous?.status, c.current?.status])).toEqual([
      ['status', 'APPROVED', 'PAUSED'],
      ['status', 'PAUSED', 'APPROVED'],
    ]);
  });

  it('records quality, an announced category change and the change itself', async () => {
    await apply('message_template_quality_update', { previous_quality_score: 'GREEN', new_quality_score: 'RED', ...identity });
    expect((await row())!.quality_score).toBe('RED');
    await apply('template_category_update', { ...identity, new_category: 'UTILITY', correct_category: 'MARKETING', category_update_timestamp: 1756814400 });
    expect(await row()).toMatchObject({ category: 'UTILITY', correct_category: 'MARKETING', category_change_at: new Date(1756814400 * 1000) });
    await apply('template_category_update', { ...identity, previous_category: 'UTILITY', new_category: 'MARKETING' });
    expect(await row()).toMatchObject({ category: 'MARKETING', previous_category: 'UTILITY', correct_category: null, category_change_at: null });
    expect(changes.slice(-3).map((c) => c.kind)).toEqual(['quality', 'category', 'category']);
    expect(changes.at(-1)?.webhook?.field).toBe('template_category_update');
  });

  it('marks the copy stale on a components update and asks for a sync', async () => {
    await apply('message_template_components_update', { ...identity, message_template_element: 'Hi there' });
    expect((await row())!.stale).toBe(true);
    const [sync] = await db.sql<{ next_sync_at: Date }[]>`select next_sync_at from template_syncs where waba_id = ${WABA}`;
    expect(sync?.next_sync_at).toEqual(NOW);
  });

  it('asks for a sync about a template it does not know, and forgets a deleted one', async () => {
    await db.sql`delete from template_syncs`;
    await apply('message_template_status_update', { event: 'APPROVED', message_template_id: 7000000000000999, message_template_name: 'x', message_template_language: 'en_US', reason: 'NONE' });
    expect(await db.sql`select 1 from template_syncs where waba_id = ${WABA}`).toHaveLength(1);
    await apply('message_template_status_update', { event: 'DELETED', ...identity, reason: null });
    expect(await row()).toBeUndefined();
    expect(changes.at(-1)).toMatchObject({ kind: 'deleted', current: null, previous: { category: 'MARKETING' } });
    // Junk is ignored.
    for (const value of [{}, { message_template_id: 'abc', event: 'APPROVED' }, { message_template_id: -1 }]) {
      await apply('message_template_status_update', value);
    }
  });
});
