import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { startEmulator, type TestEmulator } from './test-support.js';

describe('business profile', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  beforeEach(async () => {
    t = await startEmulator();
    f = await t.fixture();
  });
  afterEach(() => t.close());
  const path = () => `/v23.0/${f.phone_number_id}/whatsapp_business_profile`;

  it('updates and reads the profile in Meta shapes', async () => {
    const empty = await t.call('GET', path(), { token: f.access_token });
    expect(empty.body).toEqual({ data: [{ messaging_product: 'whatsapp' }] });
    const update = {
      messaging_product: 'whatsapp',
      about: 'Fresh plants daily',
      address: '1 Garden Way',
      description: 'd'.repeat(512),
      email: 'hello@luckyshrub.example',
      websites: ['https://luckyshrub.example', 'http://shop.luckyshrub.example'],
      vertical: 'RETAIL',
      profile_picture_handle: '4:aGVsbG8=:aW1hZ2UvanBlZw==:abc',
    };
    expect((await t.call('POST', path(), { token: f.access_token, json: update })).body).toEqual({ success: true });
    const all = await t.call('GET', path(), { token: f.access_token });
    expect(all.body.data[0]).toMatchObject({ about: 'Fresh plants daily', vertical: 'RETAIL', websites: update.websites, messaging_product: 'whatsapp' });
    expect(all.body.data[0].profile_picture_url).toMatch(/^https:\/\/pps\.whatsapp\.net\//);
    const some = await t.call('GET', `${path()}?fields=about,email`, { token: f.access_token });
    expect(some.body).toEqual({ data: [{ about: 'Fresh plants daily', email: 'hello@luckyshrub.example', messaging_product: 'whatsapp' }] });
    await t.call('POST', path(), { token: f.access_token, form: { messaging_product: 'whatsapp', address: '' } });
    expect((await t.call('GET', `${path()}?fields=address,about`, { token: f.access_token })).body.data[0]).toEqual({ about: 'Fresh plants daily', messaging_product: 'whatsapp' });
  });

  it("refuses values past Meta's limits and changes nothing", async () => {
    const bad: Array<Record<string, unknown>> = [
      { about: 'x'.repeat(140) },
      { about: '' },
      { address: 'x'.repeat(257) },
      { description: 'x'.repeat(513) },
      { email: 'not-an-email' },
      { email: `${'x'.repeat(120)}@example.com` },
      { websites: ['https://a.example', 'https://b.example', 'https://c.example'] },
      { websites: ['ftp://a.example'] },
      { vertical: 'SPACESHIPS' },
      { about: { nested: true } },
    ];
    for (const fields of bad) {
      const res = await t.call('POST', path(), { token: f.access_token, json: { messaging_product: 'whatsapp', ...fields } });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
    const noProduct = await t.call('POST', path(), { token: f.access_token, json: { about: 'hi' } });
    expect(noProduct.body.error.code).toBe(100);
    expect((await t.call('GET', path(), { token: f.access_token })).body).toEqual({ data: [{ messaging_product: 'whatsapp' }] });
    const unknownField = await t.call('GET', `${path()}?fields=color`, { token: f.access_token });
    expect(unknownField.body.error.code).toBe(100);
  });
});
