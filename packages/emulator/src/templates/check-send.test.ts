import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GraphError } from '@switchboard/wire';
import { checkTemplateSend } from './check-send.js';
import { startWorld, utilityTemplate, type World } from './test-support.js';

let w: World;

beforeEach(async () => {
  w = await startWorld({ reviewDelayMs: 0 });
  expect((await w.call('POST', `/${w.wabaId}/message_templates`, { json: utilityTemplate() })).body.status).toBe('APPROVED');
});
afterEach(async () => {
  await w.close();
});

const send = (overrides: Record<string, unknown> = {}) => ({
  name: 'order_update',
  language: { code: 'en_US' },
  components: [
    { type: 'header', parameters: [{ type: 'text', text: 'A-17' }] },
    { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-17' }] },
    { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A17' }] },
  ],
  ...overrides,
});

function codeOf(payload: unknown): number {
  try {
    checkTemplateSend(w.emu.ctx, w.phone, payload);
  } catch (err) {
    if (err instanceof GraphError) return err.code;
    throw err;
  }
  return 0;
}

describe('checkTemplateSend', () => {
  it('returns the template, the pricing category and the hydrated message', () => {
    const checked = checkTemplateSend(w.emu.ctx, w.phone, send());
    expect(checked.category).toBe('utility');
    expect(checked.template.name).toBe('order_update');
    expect(checked.hydrated).toMatchObject({
      header: { type: 'text', text: 'Order A-17' },
      body: 'Hi Ana, your order A-17 has shipped and arrives soon.',
      footer: 'Lucky Shrub',
      buttons: [{ index: 0, subType: 'url', url: 'https://example.com/t/A17' }],
    });
  });

  it('is 132000 for one body parameter too few or too many', () => {
    const body = (n: number) => ({ type: 'body', parameters: Array.from({ length: n }, () => ({ type: 'text', text: 'x' })) });
    const [header, , button] = send().components;
    expect(codeOf(send({ components: [header, body(1), button] }))).toBe(132000);
    expect(codeOf(send({ components: [header, body(3), button] }))).toBe(132000);
    expect(codeOf(send({ components: [header, body(2), button] }))).toBe(0);
  });

  it('is 132012 for a parameter of the wrong type', () => {
    const [, body, button] = send().components;
    expect(codeOf(send({ components: [{ type: 'header', parameters: [{ type: 'image', image: { id: '1' } }] }, body, button] }))).toBe(132012);
  });

  it('is 132001 for an unknown name or language, or a template that is not approved', async () => {
    expect(codeOf(send({ language: { code: 'pt_BR' } }))).toBe(132001);
    expect(codeOf(send({ name: 'no_such_template' }))).toBe(132001);
    const otherPhone = { ...w.phone, wabaId: w.otherWabaId };
    expect(() => checkTemplateSend(w.emu.ctx, otherPhone, send())).toThrow(expect.objectContaining({ code: 132001 }));
    await w.call('POST', '/_emulator/templates/reviewer', { json: { auto_review: false } });
    await w.call('POST', `/${w.wabaId}/message_templates`, { json: utilityTemplate({ language: 'es' }) });
    expect(codeOf(send({ language: { code: 'es' } }))).toBe(132001);
  });

  it('is 132015 while paused and 132016 once disabled', async () => {
    const id = w.emu.ctx.state.templates.find(w.wabaId, 'order_update', 'en_US')?.id;
    await w.call('POST', `/_emulator/templates/${id}/quality`, { json: { score: 'RED' } });
    expect(codeOf(send())).toBe(132015);
    await w.call('POST', `/v23.0/${id}/unpause`);
    expect(codeOf(send())).toBe(0);
    await w.call('POST', `/_emulator/templates/${id}/pause`);
    await w.call('POST', `/v23.0/${id}/unpause`);
    await w.call('POST', `/_emulator/templates/${id}/pause`);
    expect(codeOf(send())).toBe(132016);
  });

  it('follows edits and deletions (the lookup index stays in step with the store)', async () => {
    const id = w.emu.ctx.state.templates.find(w.wabaId, 'order_update', 'en_US')?.id;
    const edit = await w.call('POST', `/${id}`, {
      json: { components: [{ type: 'BODY', text: 'Hi {{1}}, your order has shipped and arrives soon.', example: { body_text: [['Ana']] } }] },
    });
    expect(edit.body).toEqual({ success: true });
    const body = { type: 'body', parameters: [{ type: 'text', text: 'Ana' }] };
    expect(checkTemplateSend(w.emu.ctx, w.phone, send({ components: [body] })).hydrated.body).toBe('Hi Ana, your order has shipped and arrives soon.');
    expect(codeOf(send())).toBe(132000);
    await w.call('DELETE', `/${w.wabaId}/message_templates?name=order_update`);
    expect(codeOf(send({ components: [body] }))).toBe(132001);
    await w.call('POST', '/_emulator/reset');
    expect(w.emu.ctx.state.templates.find(w.wabaId, 'order_update', 'en_US')).toBeUndefined();
  });
});
