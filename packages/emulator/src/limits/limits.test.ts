import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWorld, templateBody, type Json, type World } from '../messaging/test-world.js';
import { RecentUsers } from './recent-users.js';
import { fullBucket, refill } from './token-bucket.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('throughput (130429) and pair rate (131056)', () => {
  it('allows the number mps sends per second, then answers 130429 until the bucket refills', async () => {
    world = await startWorld({ mps: 20 });
    const results: number[] = [];
    for (let i = 0; i < 21; i++) results.push((await world.send(templateBody(String(16505560000 + i), 'hello_world'))).status);
    expect(results.slice(0, 20).every((s) => s === 200)).toBe(true);
    const refused = await world.send(templateBody('16505569999', 'hello_world'));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 130429, error_subcode: 2494055, is_transient: true, message: '(#130429) Rate limit hit' });
    // 50 ms refills one token at 20 mps.
    world.clock.advance(50);
    expect((await world.send(templateBody('16505569998', 'hello_world'))).status).toBe(200);
    expect((await world.send(templateBody('16505569997', 'hello_world'))).status).toBe(400);
  });

  it('allows a burst of 45 to one user, then one message per 6 s (131056)', async () => {
    world = await startWorld();
    const to = '16505561234';
    await world.inbound(to, { text: { body: 'hi' } });
    for (let i = 0; i < 45; i++) expect((await world.send({ to, text: { body: `m${i}` } })).status).toBe(200);
    const refused = await world.send({ to, text: { body: 'one too many' } });
    expect(refused.body.error).toMatchObject({ code: 131056, is_transient: true });
    // Another user is not affected.
    expect((await world.send(templateBody('16505561235', 'hello_world'))).status).toBe(200);
    world.clock.advance(5_999);
    expect((await world.send({ to, text: { body: 'still early' } })).body.error.code).toBe(131056);
    world.clock.advance(1);
    expect((await world.send({ to, text: { body: 'one more' } })).status).toBe(200);
    expect((await world.send({ to, text: { body: 'and again' } })).body.error.code).toBe(131056);
  });
});

describe('portfolio messaging limit', () => {
  const statusOf = (w: World, id: string): Json => w.statuses().find((s: Json) => s.id === id);

  it('on TIER_250, fails the 251st unique user reached outside a window with 131048, and frees slots after 24 h', async () => {
    const w = (world = await startWorld({ tier: 'TIER_250', mps: 1_000 }));
    const ids: string[] = [];
    for (let i = 0; i < 251; i++) ids.push((await w.send(templateBody(String(16505570000 + i), 'hello_world'))).body.messages[0].id);
    // Users already reached may be messaged again, and users inside a window do not count.
    const again = (await w.send(templateBody('16505570000', 'hello_world'))).body.messages[0].id;
    await w.inbound('16505579999', { text: { body: 'hi' } });
    const inWindow = (await w.send(templateBody('16505579999', 'hello_world'))).body.messages[0].id;
    w.clock.advance(1_000);
    await vi.waitFor(() => expect(statusOf(w, inWindow)).toBeDefined());
    expect(statusOf(w, ids[249]!)?.status).toBe('sent');
    expect(statusOf(w, ids[250]!)).toMatchObject({ status: 'failed', errors: [{ code: 131048 }] });
    expect(statusOf(w, ids[250]!)?.pricing).toBeUndefined();
    expect(statusOf(w, again)?.status).toBe('sent');
    expect(statusOf(w, inWindow)?.status).toBe('sent');
    expect((await w.call('GET', `/_emulator/limits/${w.fx.business_id}`)).body).toMatchObject({ tier: 'TIER_250', limit: 250, uniqueUsers24h: 250 });

    w.clock.advance(24 * 3_600_000);
    const next = (await w.send(templateBody('16505578888', 'hello_world'))).body.messages[0].id;
    w.clock.advance(1_000);
    await vi.waitFor(() => expect(statusOf(w, next)?.status).toBe('sent'));
  });

  it('upgrades TIER_2K to TIER_10K 6 h after half the limit is used, with business_capability_update', async () => {
    const w = (world = await startWorld({ tier: 'TIER_2K', mps: 1_000 }));
    for (let i = 0; i < 1_000; i++) {
      const res = await w.emu.app.inject({
        method: 'POST',
        url: `/v23.0/${w.fx.phone_number_id}/messages`,
        headers: { authorization: `Bearer ${w.fx.access_token}` },
        payload: { messaging_product: 'whatsapp', ...templateBody(String(16505580000 + i), 'hello_world') },
      });
      expect(res.statusCode).toBe(200);
    }
    const usage = (await w.call('GET', `/_emulator/limits/${w.fx.business_id}`)).body;
    expect(usage).toMatchObject({ tier: 'TIER_2K', uniqueUsers24h: 1_000, upgradeAt: expect.any(Number) });
    w.clock.advance(6 * 3_600_000 - 1);
    expect(w.emu.ctx.state.businesses.get(w.fx.business_id)?.messagingLimitTier).toBe('TIER_2K');
    w.clock.advance(1);
    expect(w.emu.ctx.state.businesses.get(w.fx.business_id)?.messagingLimitTier).toBe('TIER_10K');
    await vi.waitFor(() =>
      expect(w.changes('business_capability_update')).toEqual([{ max_daily_conversations_per_business: 'TIER_10K', max_daily_conversation_per_phone: 10_000 }]),
    );
  });
});

describe('building blocks', () => {
  it('token buckets refill continuously up to their capacity', () => {
    const bucket = fullBucket(45, 0);
    bucket.tokens = 0;
    expect(refill(bucket, 45, 1 / 6_000, 12_000)).toBeCloseTo(2);
    expect(refill(bucket, 45, 1 / 6_000, 10_000_000)).toBe(45);
  });

  it('RecentUsers counts unique users in a moving span', () => {
    const users = new RecentUsers(1_000);
    users.touch('a', 0);
    users.touch('b', 500);
    users.touch('a', 900);
    expect(users.size(999)).toBe(2);
    expect(users.size(1_500)).toBe(1);
    expect(users.has('b', 1_500)).toBe(false);
    expect(users.has('a', 1_899)).toBe(true);
    expect(users.size(1_900)).toBe(0);
  });
});
