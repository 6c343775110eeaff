import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_REVIEW_DELAY_MS } from './reviewer-settings.js';
import { plainTemplate, startWorld, utilityTemplate, type World } from './test-support.js';

let w: World;

beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.close();
});

const create = async (body: Record<string, unknown>) => {
  const res = await w.call('POST', `/${w.wabaId}/message_templates`, { json: body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { id: string; status: string; category: string };
};
const statusOf = async (id: string) => (await w.call('GET', `/${id}?fields=status,category,rejected_reason`)).body;
const arrived = (field: string, count = 1) => vi.waitFor(() => expect(w.receiver.changes(field).length).toBeGreaterThanOrEqual(count));

describe('template review on the virtual clock', () => {
  it('approves after the review delay and tells the app', async () => {
    const { id } = await create(utilityTemplate());
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS - 1);
    expect((await statusOf(id)).status).toBe('PENDING');
    w.clock.advance(1);
    expect(await statusOf(id)).toEqual({ id, status: 'APPROVED', category: 'UTILITY', rejected_reason: 'NONE' });

    await arrived('message_template_status_update');
    const [change] = w.receiver.changes('message_template_status_update');
    expect(change?.wabaId).toBe(w.wabaId);
    expect(change?.value).toEqual({
      event: 'APPROVED',
      message_template_id: Number(id),
      message_template_name: 'order_update',
      message_template_language: 'en_US',
      reason: 'NONE',
      message_template_category: 'UTILITY',
    });
    expect(typeof change?.value.message_template_id).toBe('number');
  });

  it('approves promotional UTILITY templates as MARKETING with a template_category_update', async () => {
    const { id } = await create(plainTemplate('spring_news', { components: [{ type: 'BODY', text: 'Our spring sale starts today, with 20% off everything.' }] }));
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS);
    expect(await statusOf(id)).toMatchObject({ status: 'APPROVED', category: 'MARKETING' });
    await arrived('template_category_update');
    expect(w.receiver.changes('template_category_update')[0]?.value).toEqual({
      message_template_id: Number(id),
      message_template_name: 'spring_news',
      message_template_language: 'en_US',
      previous_category: 'UTILITY',
      new_category: 'MARKETING',
    });
    expect(w.receiver.changes('message_template_status_update')[0]?.value).toMatchObject({ event: 'APPROVED', message_template_category: 'MARKETING' });
    expect((await w.call('GET', `/${id}?fields=previous_category`)).body.previous_category).toBe('UTILITY');
  });

  it('rejects banned words, one-time-code content outside AUTHENTICATION, and adjacent variables', async () => {
    const scam = await create(plainTemplate('prize', { components: [{ type: 'BODY', text: 'You have won our weekly draw, reply to claim.' }] }));
    const otp = await create(plainTemplate('code_note', { components: [{ type: 'BODY', text: 'Use the verification code we emailed you today.' }] }));
    const adjacent = await create(
      plainTemplate('adjacent', {
        components: [{ type: 'BODY', text: 'Dear customer {{1}} {{2}}, your booking is ready for pickup today.', example: { body_text: [['Ana', 'Lee']] } }],
      }),
    );
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS);
    expect(await statusOf(scam.id)).toMatchObject({ status: 'REJECTED', rejected_reason: 'SCAM' });
    expect(await statusOf(otp.id)).toMatchObject({ status: 'REJECTED', rejected_reason: 'INCORRECT_CATEGORY' });
    expect(await statusOf(adjacent.id)).toMatchObject({ status: 'REJECTED', rejected_reason: 'INVALID_FORMAT' });

    await arrived('message_template_status_update', 3);
    const invalid = w.receiver.changes('message_template_status_update').find((c) => c.value.message_template_id === Number(adjacent.id));
    expect(invalid?.value).toMatchObject({
      event: 'REJECTED',
      reason: 'INVALID_FORMAT',
      rejection_info: { reason: 'The body has adjacent variables {{1}} and {{2}}.', recommendation: expect.any(String) },
    });
  });

  it('is configurable: delay, auto review off, forced decisions, custom word lists', async () => {
    let res = await w.call('POST', '/_emulator/templates/reviewer', { json: { auto_review: false, banned_words: [{ word: 'frobnicate', reason: 'SCAM' }] } });
    expect(res.body).toMatchObject({ auto_review: false, delay_ms: DEFAULT_REVIEW_DELAY_MS });
    const held = await create(plainTemplate('held'));
    w.clock.advance(24 * 3_600_000);
    expect((await statusOf(held.id)).status).toBe('PENDING');

    res = await w.call('POST', `/_emulator/templates/${held.id}/review`, { json: { status: 'REJECTED', reason: 'PROMOTIONAL' } });
    expect(res.body).toMatchObject({ status: 'REJECTED', rejected_reason: 'PROMOTIONAL' });
    res = await w.call('POST', `/_emulator/templates/${held.id}/review`, { json: { status: 'APPROVED', category: 'MARKETING' } });
    expect(res.body).toMatchObject({ status: 'APPROVED', category: 'MARKETING', previous_category: 'UTILITY' });
    expect((await w.call('POST', `/_emulator/templates/${held.id}/review`, { json: { status: 'MAYBE' } })).status).toBe(400);

    // Turning auto review back on with a new delay schedules what is waiting.
    const waiting = await create(plainTemplate('frobnicate_now'));
    await w.call('POST', '/_emulator/templates/reviewer', { json: { auto_review: true, delay_seconds: 60 } });
    w.clock.advance(59_999);
    expect((await statusOf(waiting.id)).status).toBe('PENDING');
    w.clock.advance(1);
    expect(await statusOf(waiting.id)).toMatchObject({ status: 'REJECTED', rejected_reason: 'SCAM' });

    // A delay of 0 decides before the create call answers; reset restores the defaults.
    await w.call('POST', '/_emulator/templates/reviewer', { json: { delay_ms: 0 } });
    expect((await create(plainTemplate('instant'))).status).toBe('APPROVED');
    await w.call('POST', '/_emulator/reset');
    expect((await w.call('GET', '/_emulator/templates/reviewer')).body).toMatchObject({ delay_ms: DEFAULT_REVIEW_DELAY_MS, auto_review: true });
  });

  it('re-reviews an edited approved template and announces its new components', async () => {
    const { id } = await create(utilityTemplate());
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS);
    const components = [
      { type: 'BODY', text: 'Your order is on its way and arrives this week.' },
      { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550001111' }] },
    ];
    expect((await w.call('POST', `/${id}`, { json: { components } })).body).toEqual({ success: true });
    expect((await statusOf(id)).status).toBe('PENDING');
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS);
    expect((await statusOf(id)).status).toBe('APPROVED');
    await arrived('message_template_components_update');
    expect(w.receiver.changes('message_template_components_update')[0]?.value).toEqual({
      message_template_id: Number(id),
      message_template_name: 'order_update',
      message_template_language: 'en_US',
      message_template_element: 'Your order is on its way and arrives this week.',
      message_template_buttons: [{ message_template_button_type: 'PHONE_NUMBER', message_template_button_text: 'Call us', message_template_button_phone_number: '+15550001111' }],
    });
  });

  it('cancels the review of a template deleted while pending', async () => {
    const { id } = await create(plainTemplate('short_lived'));
    expect(w.emu.ctx.state.templates.timers.has(`${id}:review`)).toBe(true);
    await w.call('DELETE', `/${w.wabaId}/message_templates?name=short_lived`);
    expect(w.emu.ctx.state.templates.timers.size).toBe(0);
    w.clock.advance(DEFAULT_REVIEW_DELAY_MS);
    await arrived('message_template_status_update');
    expect(w.receiver.changes('message_template_status_update').map((c) => [c.value.message_template_id, c.value.event, c.value.reason])).toEqual([
      [Number(id), 'DELETED', null],
    ]);
    // Never approved: the name is free again.
    expect((await w.call('POST', `/${w.wabaId}/message_templates`, { json: plainTemplate('short_lived') })).status).toBe(200);
  });
});
