import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTemplate } from './template-service.js';
import { plainTemplate, startWorld, utilityTemplate, type World } from './test-support.js';

const DAY = 86_400_000;
let w: World;

beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const create = (body: Record<string, unknown>, token?: string) => w.call('POST', `/v23.0/${w.wabaId}/message_templates`, { json: body, token });

describe('POST /{waba-id}/message_templates', () => {
  it('creates a PENDING template and echoes its components', async () => {
    const res = await create(utilityTemplate());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: expect.stringMatching(/^\d{16}$/), status: 'PENDING', category: 'UTILITY' });
    const node = await w.call('GET', `/v23.0/${res.body.id}`);
    expect(node.body).toEqual({
      id: res.body.id,
      name: 'order_update',
      language: 'en_US',
      status: 'PENDING',
      category: 'UTILITY',
      parameter_format: 'POSITIONAL',
      components: utilityTemplate().components,
    });
  });

  it('takes a form post with JSON components', async () => {
    const t = plainTemplate('form_post');
    const res = await w.call('POST', `/${w.wabaId}/message_templates`, {
      form: { name: 'form_post', language: 'en_US', category: 'UTILITY', components: JSON.stringify(t.components) },
    });
    expect(res.status).toBe(200);
  });

  it("refuses invalid requests with Meta's code 100, subcode and user message", async () => {
    const res = await create(utilityTemplate({ components: [{ type: 'BODY', text: '{{1}} is waiting for you at the front desk.', example: { body_text: [['Ana']] } }] }));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 100,
      error_subcode: 2388299,
      error_user_title: 'Invalid parameter(s) position',
      error_user_msg: "Variables can't be at the start or end of the template body.",
    });
    expect((await create(utilityTemplate({ name: 'Bad Name' }))).body.error).toMatchObject({ code: 100, error_user_title: 'Invalid template name' });
    expect((await w.call('POST', `/${w.wabaId}/message_templates`)).body.error).toMatchObject({ code: 100 });
  });

  it('refuses a second template with the same name and language (2388024), not another language', async () => {
    expect((await create(plainTemplate('dup'))).status).toBe(200);
    const again = await create(plainTemplate('dup'));
    expect(again.body.error).toMatchObject({ code: 100, error_subcode: 2388024, error_user_title: 'Content in This Language Already Exists' });
    expect((await create(plainTemplate('dup', { language: 'pt_BR' }))).status).toBe(200);
  });

  it('allows 100 creations per WABA per hour', async () => {
    const waba = w.emu.ctx.state.wabas.get(w.wabaId);
    if (!waba) throw new Error('no WABA');
    // The first 99 through the service (same code path, without 99 HTTP round trips).
    for (let i = 0; i < 99; i++) createTemplate(w.emu.ctx, waba, plainTemplate(`t_${i}`));
    w.clock.advance(3_599_999);
    expect((await create(plainTemplate('t_99'))).status).toBe(200);
    const over = await create(plainTemplate('t_100'));
    expect(over.body.error).toMatchObject({ code: 80008 });
    w.clock.advance(1);
    expect((await create(plainTemplate('t_100'))).status).toBe(200);
  });

  it('holds 250 templates per WABA for an unverified business (2388019)', async () => {
    const store = w.emu.ctx.state.templates;
    for (let i = 0; i < 250; i++) {
      store.set(`9${String(i).padStart(15, '0')}`, {
        id: `9${String(i).padStart(15, '0')}`, wabaId: w.wabaId, name: `bulk_${i}`, language: 'en_US', category: 'UTILITY',
        parameterFormat: 'POSITIONAL', components: [], status: 'APPROVED', rejectedReason: 'NONE', qualityScore: 'UNKNOWN',
        pauseCount: 0, createdAt: 0, approvedEdits: [],
      });
    }
    expect((await create(plainTemplate('one_more'))).body.error).toMatchObject({ code: 100, error_subcode: 2388019 });
    const waba = w.emu.ctx.state.wabas.get(w.wabaId);
    const business = waba && w.emu.ctx.state.businesses.get(waba.businessId);
    if (business) business.verificationStatus = 'verified';
    expect((await create(plainTemplate('one_more'))).status).toBe(200);
  });
});

describe('GET /{waba-id}/message_templates', () => {
  it('lists newest first with fields, filters and cursor paging', async () => {
    for (let i = 0; i < 5; i++) await create(plainTemplate(`list_${i}`));
    await create(plainTemplate('list_0', { language: 'es' }));

    const first = await w.call('GET', `/v23.0/${w.wabaId}/message_templates?fields=name,language,status&limit=2`);
    expect(first.body.data).toEqual([
      { name: 'list_0', language: 'es', status: 'PENDING', id: expect.any(String) },
      { name: 'list_4', language: 'en_US', status: 'PENDING', id: expect.any(String) },
    ]);
    expect(first.body.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(first.body.paging.previous).toBeUndefined();
    const next = first.body.paging.next as string;
    expect(next).toContain(`${w.url}/v23.0/${w.wabaId}/message_templates?`);

    const second = await w.call('GET', next.slice(w.url.length));
    expect(second.body.data.map((t: { name: string }) => t.name)).toEqual(['list_3', 'list_2']);
    const third = await w.call('GET', (second.body.paging.next as string).slice(w.url.length));
    expect(third.body.data.map((t: { name: string }) => t.name)).toEqual(['list_1', 'list_0']);
    expect(third.body.paging.next).toBeUndefined();
    const back = await w.call('GET', (third.body.paging.previous as string).slice(w.url.length));
    expect(back.body.data.map((t: { name: string }) => t.name)).toEqual(['list_3', 'list_2']);

    const byName = await w.call('GET', `/${w.wabaId}/message_templates?name=list_0&fields=language`);
    expect(byName.body.data.map((t: { language: string }) => t.language).sort()).toEqual(['en_US', 'es']);
    const byLanguage = await w.call('GET', `/${w.wabaId}/message_templates?language=es`);
    expect(byLanguage.body.data).toHaveLength(1);
    expect((await w.call('GET', `/${w.wabaId}/message_templates?status=APPROVED`)).body).toEqual({ data: [] });
    expect((await w.call('GET', `/${w.wabaId}/message_templates?category=MARKETING`)).body).toEqual({ data: [] });
    expect((await w.call('GET', `/${w.wabaId}/message_templates?category=UTILITY&limit=100`)).body.data).toHaveLength(6);
  });

  it('refuses unknown fields and filter values', async () => {
    expect((await w.call('GET', `/${w.wabaId}/message_templates?fields=name,colour`)).body.error.message).toBe(
      '(#100) Tried accessing nonexisting field (colour) on node type (WhatsAppBusinessHSM)',
    );
    expect((await w.call('GET', `/${w.wabaId}/message_templates?status=GONE`)).status).toBe(400);
    expect((await w.call('GET', `/${w.wabaId}/message_templates?after=@@`)).status).toBe(400);
  });

  it('reads quality_score{score} and rejected_reason on the node', async () => {
    const { body } = await create(plainTemplate('fields_test'));
    const node = await w.call('GET', `/${body.id}?fields=quality_score{score},rejected_reason,status`);
    expect(node.body).toEqual({ quality_score: { score: 'UNKNOWN', date: expect.any(Number) }, rejected_reason: 'NONE', status: 'PENDING', id: body.id });
  });
});

describe('DELETE /{waba-id}/message_templates', () => {
  it('deletes every language of a name, or one template by hsm_id', async () => {
    const en = await create(plainTemplate('to_delete'));
    const es = await create(plainTemplate('to_delete', { language: 'es' }));
    const keep = await create(plainTemplate('keep_me'));

    const one = await w.call('DELETE', `/v23.0/${w.wabaId}/message_templates?hsm_id=${es.body.id}&name=to_delete`);
    expect(one.body).toEqual({ success: true });
    expect((await w.call('GET', `/${es.body.id}`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await w.call('GET', `/${en.body.id}`)).status).toBe(200);

    await create(plainTemplate('to_delete', { language: 'es' }));
    expect((await w.call('DELETE', `/${w.wabaId}/message_templates?name=to_delete`)).body).toEqual({ success: true });
    const left = await w.call('GET', `/${w.wabaId}/message_templates?fields=name`);
    expect(left.body.data).toEqual([{ name: 'keep_me', id: keep.body.id }]);

    expect((await w.call('DELETE', `/${w.wabaId}/message_templates?name=to_delete`)).body.error).toMatchObject({ code: 100, error_user_title: 'Message Template Not Found' });
    expect((await w.call('DELETE', `/${w.wabaId}/message_templates?hsm_id=${keep.body.id}&name=other_name`)).status).toBe(400);
    expect((await w.call('DELETE', `/${w.wabaId}/message_templates`)).body.error.message).toBe('(#100) The parameter name is required.');
  });

  it('blocks the name and language of a deleted approved template for 30 days (2388023)', async () => {
    await w.call('POST', '/_emulator/templates/reviewer', { json: { delay_ms: 0 } });
    expect((await create(plainTemplate('cool_down'))).body.status).toBe('APPROVED');
    await create(plainTemplate('rejected_one', { components: [{ type: 'BODY', text: 'Win the lottery with us, reply today.' }] }));
    await w.call('DELETE', `/${w.wabaId}/message_templates?name=cool_down`);
    await w.call('DELETE', `/${w.wabaId}/message_templates?name=rejected_one`);

    const blocked = await create(plainTemplate('cool_down'));
    expect(blocked.body.error).toMatchObject({ code: 100, error_subcode: 2388023, error_user_title: 'Message Template Language Is Being Deleted' });
    // Another language, and a deleted template that was never approved, are free at once.
    expect((await create(plainTemplate('cool_down', { language: 'fr' }))).status).toBe(200);
    expect((await create(plainTemplate('rejected_one'))).status).toBe(200);

    w.clock.advance(30 * DAY - 1);
    expect((await create(plainTemplate('cool_down'))).body.error.error_subcode).toBe(2388023);
    w.clock.advance(1);
    expect((await create(plainTemplate('cool_down'))).status).toBe(200);
  });
});

describe('POST /{template-id} (edit)', () => {
  it('replaces components and sends the template back to review', async () => {
    await w.call('POST', '/_emulator/templates/reviewer', { json: { auto_review: false } });
    const { body } = await create(plainTemplate('edit_me'));
    const pending = await w.call('POST', `/v23.0/${body.id}`, { json: { components: [{ type: 'BODY', text: 'New text for the order.' }] } });
    expect(pending.body.error).toMatchObject({ code: 100, error_user_title: "Template can't be edited" });

    await w.call('POST', `/_emulator/templates/${body.id}/review`, { json: { status: 'REJECTED', reason: 'INVALID_FORMAT' } });
    const components = [{ type: 'BODY', text: 'Your appointment is confirmed for Friday.' }];
    expect((await w.call('POST', `/v23.0/${body.id}`, { json: { components } })).body).toEqual({ success: true });
    const node = await w.call('GET', `/${body.id}?fields=status,components`);
    expect(node.body).toMatchObject({ status: 'PENDING', components });
  });

  it('limits approved edits to one per 24 h and 10 per 30 days, and keeps their category', async () => {
    await w.call('POST', '/_emulator/templates/reviewer', { json: { delay_ms: 0 } });
    const { body } = await create(plainTemplate('limited'));
    expect(body.status).toBe('APPROVED');
    const edit = (n: number) => w.call('POST', `/${body.id}`, { json: { components: [{ type: 'BODY', text: `Your appointment number ${n} is confirmed.` }] } });

    expect((await w.call('POST', `/${body.id}`, { json: { category: 'MARKETING' } })).body.error.error_user_title).toBe("Category can't be changed");
    expect((await edit(1)).body).toEqual({ success: true });
    expect((await w.call('GET', `/${body.id}?fields=status`)).body.status).toBe('APPROVED');
    expect((await edit(2)).body.error).toMatchObject({ code: 100, error_user_title: 'Edit limit reached' });
    for (let n = 2; n <= 10; n++) {
      w.clock.advance(DAY);
      expect((await edit(n)).body).toEqual({ success: true });
    }
    w.clock.advance(DAY);
    expect((await edit(11)).body.error.error_user_msg).toMatch(/10 times in 30 days/);
    w.clock.advance(20 * DAY);
    expect((await edit(11)).body).toEqual({ success: true });
  });
});

describe('isolation', () => {
  it("gives another business's token 200/403 on templates it does not own", async () => {
    const { body } = await create(plainTemplate('private'));
    const as = { token: w.otherToken };
    for (const res of [
      await w.call('GET', `/${w.wabaId}/message_templates`, as),
      await w.call('POST', `/${w.wabaId}/message_templates`, { ...as, json: plainTemplate('intruder') }),
      await w.call('DELETE', `/${w.wabaId}/message_templates?name=private`, as),
      await w.call('GET', `/${body.id}`, as),
      await w.call('POST', `/${body.id}`, { ...as, json: { components: [{ type: 'BODY', text: 'Hijacked text here.' }] } }),
      await w.call('POST', `/${body.id}/unpause`, as),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe(200);
    }
    expect((await w.call('GET', `/${w.otherWabaId}/message_templates`, as)).body).toEqual({ data: [] });
    expect((await w.call('GET', `/${body.id}`, { token: null })).body.error.code).toBe(190);
    expect((await w.call('GET', `/${w.wabaId}/message_templates?name=private`)).body.data).toHaveLength(1);
  });
});
