/** Property: whatever a client posts to this module's endpoints, the answer is never a 5xx. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureResult } from '../control/fixtures.js';
import { startEmulator, type TestEmulator } from './test-support.js';

// Plausible and implausible values; URL-ish keys never get an http(s) URL, so no handshake leaves the machine.
const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('123456', 'whatsapp', 'SMS', 'VOICE', 'en_US', '1', '5550100123', 'MANAGE', 'RETAIL', '', ' ', 'x'.repeat(600)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.oneof(scalar, fc.array(scalar, { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), scalar, { maxKeys: 3 }));
const KEYS = [
  'pin', 'code', 'code_method', 'language', 'messaging_product', 'cc', 'phone_number', 'verified_name', 'new_display_name',
  'webhook_configuration', 'about', 'address', 'description', 'email', 'websites', 'vertical', 'profile_picture_handle',
  'user', 'tasks', 'object', 'fields', 'verify_token', 'migrate_phone_number', 'data_localization_region', 'filtering', 'limit',
  'decision', 'quality_rating', 'level', 'mps', 'status', 'tier', 'match', 'error_rate', 'burst', 'latency_ms', 'app_id',
];
const body = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 });

describe('bad input', () => {
  let t: TestEmulator;
  let f: FixtureResult;
  beforeAll(async () => {
    t = await startEmulator();
    f = await t.fixture();
  });
  afterAll(() => t.close());

  it('never answers 5xx, always in Meta\'s error shape', async () => {
    const targets = () => [
      ['POST', `/${f.phone_number_id}`],
      ['POST', `/${f.phone_number_id}/request_code`],
      ['POST', `/${f.phone_number_id}/verify_code`],
      ['POST', `/${f.phone_number_id}/register`],
      ['POST', `/${f.phone_number_id}/whatsapp_business_profile`],
      ['GET', `/${f.phone_number_id}/whatsapp_business_profile`],
      ['POST', `/${f.waba_id}/phone_numbers`],
      ['GET', `/${f.waba_id}/phone_numbers`],
      ['POST', `/${f.waba_id}/assigned_users`],
      ['POST', `/${f.waba_id}/subscribed_apps`],
      ['POST', `/${f.app_id}/subscriptions`],
      ['POST', `/_emulator/phone_numbers/${f.phone_number_id}/quality`],
      ['POST', `/_emulator/phone_numbers/${f.phone_number_id}/throughput`],
      ['POST', `/_emulator/businesses/${f.business_id}/messaging_limit`],
      ['POST', '/_emulator/faults'],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 14 }), body, fc.boolean(), async (which, json, asQuery) => {
        const [method, path] = targets()[which]!;
        const token = path.startsWith(`/${f.app_id}`) ? `${f.app_id}|${f.app_secret}` : f.access_token;
        let res;
        if (method === 'GET' || asQuery) {
          const query = new URLSearchParams();
          for (const [k, v] of Object.entries(json)) query.set(k, typeof v === 'string' ? v : JSON.stringify(v));
          res = await t.call(method, `${path}?${query.toString()}`, { token });
        } else {
          res = await t.call(method, path, { token, json });
        }
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.body.error.code).toBeTypeOf('number');
          expect(res.body.error.fbtrace_id).toBeTypeOf('string');
        }
        // A generated fault rule must not leak into the next run.
        if (path === '/_emulator/faults') await t.call('DELETE', '/_emulator/faults');
      }),
      { numRuns: 400 },
    );
  });
});
