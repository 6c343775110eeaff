import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWorld, templateBody, type Json, type World } from './test-world.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

async function open(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld(options);
  return world;
}

function statusesOf(w: World, id: string): Json[] {
  return w.statuses().filter((s: Json) => s.id === id);
}

async function sendAndSettle(w: World, body: Record<string, unknown>): Promise<Json[]> {
  const res = await w.send(body);
  expect(res.status).toBe(200);
  const id = res.body.messages[0].id as string;
  w.clock.advance(5_000);
  await vi.waitFor(() => expect(statusesOf(w, id).some((s: Json) => s.status === 'failed' || s.status === 'read')).toBe(true));
  return statusesOf(w, id);
}

describe('24 h customer service window', () => {
  it('allows free-form at 23:59 after the user wrote and fails it with 131047 at 24:01', async () => {
    const w = await open();
    await w.inbound('16505551000', { text: { body: 'help' } });
    w.clock.advance(23 * HOUR + 59 * MINUTE);
    const inside = await sendAndSettle(w, { to: '16505551000', text: { body: 'still open' } });
    expect(inside.map((s: Json) => s.status)).toEqual(['sent', 'delivered', 'read']);

    // 23:59 + 5 s have passed; two more minutes is 24:01 after the user's message.
    w.clock.advance(2 * MINUTE - 5_000);
    const outside = await sendAndSettle(w, { to: '16505551000', text: { body: 'too late' } });
    expect(outside).toEqual([
      expect.objectContaining({
        status: 'failed',
        errors: [expect.objectContaining({ code: 131047, title: 'Re-engagement message', error_data: { details: expect.stringContaining('24 hours') } })],
      }),
    ]);
    // A template is still allowed, and a new message from the user reopens the window.
    expect((await sendAndSettle(w, templateBody('16505551000', 'hello_world')))[0].status).toBe('sent');
    await w.inbound('16505551000', { text: { body: 'again' } });
    expect((await sendAndSettle(w, { to: '16505551000', text: { body: 'open again' } }))[0].status).toBe('sent');
  });

  it('keeps windows per business number', async () => {
    const w = await open();
    await w.inbound('16505551001', { text: { body: 'hi' } });
    const other = w.emu.ctx.state.phoneNumbers.get(w.fx.phone_number_id)!;
    // The same user never wrote to this second number.
    const second = { ...other, id: '777000111222333', waId: '15550009999', displayPhoneNumber: '+1 555-000-9999' };
    w.emu.ctx.state.phoneNumbers.set(second.id, second);
    const res = await w.send({ to: '16505551001', text: { body: 'x' } }, { phoneId: second.id });
    w.clock.advance(1_000);
    await vi.waitFor(() => expect(statusesOf(w, res.body.messages[0].id)[0]?.errors?.[0]?.code).toBe(131047));
  });
});

describe('pricing on status webhooks', () => {
  it('service messages in the window are free customer service; pricing on sent and delivered only', async () => {
    const w = await open();
    await w.inbound('16505552000', { text: { body: 'hi' } });
    const [sent, delivered, read] = await sendAndSettle(w, { to: '16505552000', text: { body: 'x' } });
    const free = { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };
    expect(sent.pricing).toEqual(free);
    expect(delivered.pricing).toEqual(free);
    expect(read.pricing).toBeUndefined();
    // v23 apps still get the conversation object, with its expiry on sent only.
    expect(sent.conversation).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), expiration_timestamp: expect.stringMatching(/^\d+$/), origin: { type: 'service' } });
    expect(delivered.conversation).toEqual({ id: sent.conversation.id, origin: { type: 'service' } });
    expect(read.conversation).toBeUndefined();
  });

  it('utility templates are free inside a window and billable outside; marketing and authentication always billable', async () => {
    const w = await open();
    await w.inbound('16505552001', { text: { body: 'hi' } });
    const [utilityIn] = await sendAndSettle(w, templateBody('16505552001', 'hello_world'));
    expect(utilityIn.pricing).toEqual({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'utility' });
    const [marketingIn] = await sendAndSettle(w, templateBody('16505552001', 'spring_sale'));
    expect(marketingIn.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' });

    const [utilityOut] = await sendAndSettle(w, templateBody('16505552002', 'hello_world'));
    expect(utilityOut.pricing).toEqual({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' });
    const [auth] = await sendAndSettle(w, templateBody('16505552002', 'login_code'));
    expect(auth.pricing).toMatchObject({ billable: true, type: 'regular', category: 'authentication' });
    expect(auth.conversation.origin.type).toBe('authentication');
  });

  it('omits conversation for v24+ apps, except inside a free entry point window', async () => {
    const w = await open({ webhookVersion: 'v24.0' });
    await w.inbound('16505552003', { text: { body: 'hi' } });
    const [sent] = await sendAndSettle(w, { to: '16505552003', text: { body: 'x' } });
    expect(sent.pricing.category).toBe('service');
    expect(sent.conversation).toBeUndefined();

    // A user arriving from a Click-to-WhatsApp ad: the reply opens a 72 h free entry point window.
    await w.inbound('16505552004', {
      text: { body: 'I saw your ad' },
      referral: { source_url: 'https://fb.me/x', source_id: '1', source_type: 'ad', headline: 'H', body: 'B', media_type: 'image', ctwa_clid: 'c' },
    });
    const [reply, replyDelivered] = await sendAndSettle(w, { to: '16505552004', text: { body: 'welcome' } });
    const fep = { billable: false, pricing_model: 'PMP', type: 'free_entry_point', category: 'referral_conversion' };
    expect(reply.pricing).toEqual(fep);
    expect(reply.conversation).toMatchObject({ origin: { type: 'referral_conversion' } });
    expect(Number(reply.conversation.expiration_timestamp) - Number(reply.timestamp)).toBeCloseTo(72 * 3_600, -1);
    expect(replyDelivered.conversation.id).toBe(reply.conversation.id);
    // Later templates in the same FEP window are free too, under the same conversation id.
    w.clock.advance(30 * HOUR);
    const [template] = await sendAndSettle(w, templateBody('16505552004', 'spring_sale'));
    expect(template.pricing).toEqual(fep);
    expect(template.conversation.id).toBe(reply.conversation.id);
  });
});
