import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { plainTemplate, startWorld, type World } from './test-support.js';

const HOUR = 3_600_000;
let w: World;
let id: string;

beforeEach(async () => {
  w = await startWorld({ reviewDelayMs: 0 });
  const res = await w.call('POST', `/${w.wabaId}/message_templates`, { json: plainTemplate('weekly_digest') });
  expect(res.body.status).toBe('APPROVED');
  id = res.body.id as string;
});
afterEach(async () => {
  await w.close();
});

const statusOf = async () => (await w.call('GET', `/${id}?fields=status,quality_score`)).body;
const quality = (score: string) => w.call('POST', `/_emulator/templates/${id}/quality`, { json: { score } });
const events = () =>
  w.receiver
    .changes('message_template_status_update')
    .map((c) => [c.value.event, c.value.other_info?.title ?? null] as const);

describe('template quality and pausing', () => {
  it('starts UNKNOWN and announces quality changes', async () => {
    expect((await statusOf()).quality_score.score).toBe('UNKNOWN');
    await quality('YELLOW');
    expect((await statusOf()).quality_score.score).toBe('YELLOW');
    await vi.waitFor(() => expect(w.receiver.changes('message_template_quality_update')).toHaveLength(1));
    expect(w.receiver.changes('message_template_quality_update')[0]?.value).toEqual({
      previous_quality_score: 'UNKNOWN',
      new_quality_score: 'YELLOW',
      message_template_id: Number(id),
      message_template_name: 'weekly_digest',
      message_template_language: 'en_US',
    });
  });

  it('pauses on RED for 3 h, then 6 h, then disables', async () => {
    await quality('RED');
    expect((await statusOf()).status).toBe('PAUSED');
    w.clock.advance(3 * HOUR - 1);
    expect((await statusOf()).status).toBe('PAUSED');
    w.clock.advance(1);
    expect((await statusOf()).status).toBe('APPROVED');

    await quality('RED');
    expect((await w.call('GET', `/_emulator/templates/${id}`)).body).toMatchObject({ status: 'PAUSED', pause_count: 2 });
    w.clock.advance(6 * HOUR - 1);
    expect((await statusOf()).status).toBe('PAUSED');
    w.clock.advance(1);
    expect((await statusOf()).status).toBe('APPROVED');

    await quality('RED');
    expect((await statusOf()).status).toBe('DISABLED');
    w.clock.advance(24 * HOUR);
    expect((await statusOf()).status).toBe('DISABLED');

    await vi.waitFor(() => expect(events()).toHaveLength(6));
    expect(events()).toEqual([
      ['APPROVED', null],
      ['PAUSED', 'FIRST_PAUSE'],
      ['APPROVED', 'UNPAUSE'],
      ['PAUSED', 'SECOND_PAUSE'],
      ['APPROVED', 'UNPAUSE'],
      ['DISABLED', 'DISABLED'],
    ]);
    const disabled = w.receiver.changes('message_template_status_update')[5]?.value;
    expect(disabled).toMatchObject({ message_template_id: Number(id), disable_info: { disable_date: expect.any(Number) } });

    // Disabled templates can be neither edited nor deleted.
    expect((await w.call('DELETE', `/${w.wabaId}/message_templates?name=weekly_digest`)).body.error).toMatchObject({ code: 100 });
    expect((await w.call('POST', `/${id}`, { json: { components: [{ type: 'BODY', text: 'New text for the digest.' }] } })).status).toBe(400);
  });

  it('unpauses manually through POST /{id}/unpause, which cancels the automatic unpause', async () => {
    expect((await w.call('POST', `/v23.0/${id}/unpause`)).body.error).toMatchObject({ code: 100, error_user_title: 'Template Is Not Paused' });
    await w.call('POST', `/_emulator/templates/${id}/pause`);
    expect((await statusOf()).status).toBe('PAUSED');
    expect((await w.call('POST', `/v23.0/${id}/unpause`)).body).toEqual({ success: true });
    expect((await statusOf()).status).toBe('APPROVED');
    w.clock.advance(3 * HOUR);
    await vi.waitFor(() => expect(events()).toHaveLength(3));
    expect(events()).toEqual([
      ['APPROVED', null],
      ['PAUSED', 'FIRST_PAUSE'],
      ['APPROVED', 'UNPAUSE'],
    ]);
  });

  it('lets a paused template be edited without limit, which ends the pause through review', async () => {
    await quality('RED');
    expect((await w.call('POST', `/${id}`, { json: { components: [{ type: 'BODY', text: 'A calmer weekly digest for you.' }] } })).body).toEqual({ success: true });
    expect((await statusOf()).status).toBe('APPROVED');
    w.clock.advance(3 * HOUR);
    expect((await statusOf()).status).toBe('APPROVED');
  });
});
