import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWorld, templateBody, type Json, type World } from './test-world.js';

let world: World;

beforeEach(async () => {
  world = await startWorld();
});
afterEach(async () => {
  await world.close();
});

/** The statuses received for one message, in arrival order. */
function statusesOf(id: string): Json[] {
  return world.statuses().filter((s: Json) => s.id === id);
}

async function sendOpen(to: string, fields: Record<string, unknown>): Promise<string> {
  await world.inbound(to, { text: { body: 'hi' } });
  const res = await world.send({ to, ...fields });
  expect(res.status).toBe(200);
  return res.body.messages[0].id as string;
}

describe('status webhooks', () => {
  it('reports sent, delivered and read in order, each a change of its own, signed with the app secret', async () => {
    const id = await sendOpen('16505550001', { type: 'text', text: { body: 'hello' }, biz_opaque_callback_data: 'order-17' });
    world.clock.advance(49);
    expect((await world.call('GET', `/_emulator/messages/${id}`)).body.status).toBe('accepted');

    world.clock.advance(5_000);
    await vi.waitFor(() => expect(statusesOf(id).map((s: Json) => s.status)).toEqual(['sent', 'delivered', 'read']));
    expect(world.receiver.deliveries.every((d) => d.signatureValid)).toBe(true);
    const [sent, delivered, read] = statusesOf(id);
    expect(sent).toMatchObject({ id, status: 'sent', recipient_id: '16505550001', biz_opaque_callback_data: 'order-17', timestamp: expect.stringMatching(/^\d+$/) });
    expect(Number(delivered.timestamp)).toBeGreaterThanOrEqual(Number(sent.timestamp));
    expect(Number(read.timestamp)).toBeGreaterThan(Number(sent.timestamp));
    // One status per change, batched by the dispatcher into one POST.
    for (const value of world.changes()) if (value.statuses) expect(value.statuses).toHaveLength(1);
    expect(world.changes().find((v: Json) => v.statuses)?.metadata).toEqual({
      display_phone_number: world.fx.wa_id,
      phone_number_id: world.fx.phone_number_id,
    });
    const record = await world.call('GET', `/_emulator/messages/${id}`);
    expect(record.body.statuses.map((s: Json) => s.status)).toEqual(['accepted', 'sent', 'delivered', 'read']);
  });

  it('reports only sent for a reaction, and played after read for a voice note', async () => {
    const to = '16505550002';
    const target = await sendOpen(to, { type: 'text', text: { body: 'x' } });
    const reaction = (await world.send({ to, type: 'reaction', reaction: { message_id: target, emoji: '🎉' } })).body.messages[0].id;
    const voice = (await world.send({ to, type: 'audio', audio: { link: 'https://example.com/v.ogg', voice: true } })).body.messages[0].id;
    world.clock.advance(10_000);
    await vi.waitFor(() => expect(statusesOf(voice).map((s: Json) => s.status)).toEqual(['sent', 'delivered', 'read', 'played']));
    expect(statusesOf(reaction).map((s: Json) => s.status)).toEqual(['sent']);
  });

  it('keeps messages of an offline user at sent and delivers them when the user is back', async () => {
    const to = '16505550003';
    await world.inbound(to, { text: { body: 'hi' } });
    await world.call('PATCH', `/_emulator/users/${to}`, { online: false });
    const id = (await world.send({ to, text: { body: 'are you there?' } })).body.messages[0].id;
    world.clock.advance(60_000);
    await vi.waitFor(() => expect(statusesOf(id).map((s: Json) => s.status)).toEqual(['sent']));
    expect((await world.call('GET', `/_emulator/users/${to}`)).body.pending_delivery).toBe(1);

    await world.call('PATCH', `/_emulator/users/${to}`, { online: true });
    world.clock.advance(5_000);
    await vi.waitFor(() => expect(statusesOf(id).map((s: Json) => s.status)).toEqual(['sent', 'delivered', 'read']));
  });

  it('reads deterministically by readProbability, with the user’s delays', async () => {
    const to = '16505550004';
    await world.call('PUT', `/_emulator/users/${to}`, { readProbability: 0.5, deliveryDelayMs: 1_000, readDelayMs: 60_000 });
    await world.inbound(to, { text: { body: 'hi' } });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await world.send({ to, text: { body: `m${i}` } })).body.messages[0].id);
    world.clock.advance(1_050);
    await vi.waitFor(() => expect(ids.map((id) => statusesOf(id).length)).toEqual([2, 2, 2, 2]));
    world.clock.advance(60_000);
    await vi.waitFor(() => expect(ids.map((id) => statusesOf(id).at(-1)?.status)).toEqual(['delivered', 'read', 'delivered', 'read']));
  });

  it('fails with 131026 for a user not on WhatsApp and for a user who blocked the number, without pricing', async () => {
    await world.call('PATCH', '/_emulator/users/16505550005', { onWhatsApp: false });
    await world.call('PATCH', '/_emulator/users/16505550006', { blocked: [world.fx.phone_number_id] });
    const a = (await world.send(templateBody('16505550005', 'hello_world'))).body.messages[0].id;
    const b = (await world.send(templateBody('16505550006', 'hello_world'))).body.messages[0].id;
    world.clock.advance(1_000);
    await vi.waitFor(() => expect(statusesOf(b)).toHaveLength(1));
    for (const id of [a, b]) {
      const [failed] = statusesOf(id);
      expect(failed).toMatchObject({ status: 'failed', errors: [{ code: 131026, title: 'Message undeliverable' }] });
      expect(failed.errors[0].error_data.details).toEqual(expect.any(String));
      expect(failed.pricing).toBeUndefined();
      expect(failed.conversation).toBeUndefined();
    }
  });

  it('fails marketing templates with 131050 after the user stopped marketing, and says so with user_preferences', async () => {
    const to = '16505550007';
    await world.call('PATCH', `/_emulator/users/${to}`, { stoppedMarketing: [world.fx.phone_number_id] });
    const marketing = (await world.send(templateBody(to, 'spring_sale'))).body.messages[0].id;
    const utility = (await world.send(templateBody(to, 'hello_world'))).body.messages[0].id;
    world.clock.advance(2_000);
    await vi.waitFor(() => expect(statusesOf(utility).length).toBeGreaterThanOrEqual(2));
    expect(statusesOf(marketing)).toMatchObject([{ status: 'failed', errors: [{ code: 131050 }] }]);
    expect(world.changes('user_preferences')[0].user_preferences[0]).toMatchObject({ wa_id: to, category: 'marketing_messages', value: 'stop' });
  });

  it('applies the per-user marketing cap (131049) to marketing templates outside a window', async () => {
    const to = '16505550008';
    await world.call('PATCH', `/_emulator/users/${to}`, { marketingCap: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await world.send(templateBody(to, 'spring_sale'))).body.messages[0].id);
    world.clock.advance(1_000);
    await vi.waitFor(() => expect(statusesOf(ids[2]!)).toHaveLength(1));
    expect(statusesOf(ids[0]!)[0].status).toBe('sent');
    expect(statusesOf(ids[2]!)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131049 }] });
    // The cap is per rolling 24 h.
    world.clock.advance(24 * 3_600_000);
    const later = (await world.send(templateBody(to, 'spring_sale'))).body.messages[0].id;
    world.clock.advance(1_000);
    await vi.waitFor(() => expect(statusesOf(later)[0]?.status).toBe('sent'));
  });

  it('fails a media send whose id does not exist with 131053, and a reaction to an unknown message with 131009', async () => {
    const to = '16505550009';
    const image = await sendOpen(to, { type: 'image', image: { id: '999999999999999' } });
    const reaction = (await world.send({ to, type: 'reaction', reaction: { message_id: 'wamid.HBgLMTY1MDU1NTAxMDAVAgASGBQzQUJDAA==', emoji: '👍' } })).body.messages[0].id;
    world.clock.advance(1_000);
    await vi.waitFor(() => expect(statusesOf(reaction)).toHaveLength(1));
    expect(statusesOf(image)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131053 }] });
    expect(statusesOf(reaction)[0]).toMatchObject({ status: 'failed', errors: [{ code: 131009 }] });
  });

  it('retries statuses to a receiver that is down', async () => {
    const id = await sendOpen('16505550010', { type: 'text', text: { body: 'x' } });
    await vi.waitFor(() => expect(world.emu.ctx.webhooks.stats().pending).toBe(0));
    world.receiver.status = 500;
    world.clock.advance(100);
    await vi.waitFor(() => expect(world.emu.ctx.webhooks.stats().failedAttempts).toBe(1));
    expect(statusesOf(id).map((s: Json) => s.status)).toEqual(['sent']);
    world.receiver.status = 200;
    world.clock.advance(60_000);
    await vi.waitFor(() => expect(statusesOf(id).filter((s: Json) => s.status === 'sent')).toHaveLength(2));
  });
});
