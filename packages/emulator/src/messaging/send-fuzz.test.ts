/**
 * Property: whatever body arrives at POST /{phone-number-id}/messages, the answer is a 200 with a
 * wamid (or {success:true}) or a 4xx in Meta's error shape, never a 5xx; and the accepted
 * messages then live through their statuses without an error. Runs in-process (app.inject) for
 * the thousands of cases.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type Json, type World } from './test-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ mps: 1_000_000 });
});
afterAll(async () => {
  await world.close();
});

async function post(payload: string | object, contentType = 'application/json'): Promise<{ status: number; body: Json }> {
  const res = await world.emu.app.inject({
    method: 'POST',
    url: `/v23.0/${world.fx.phone_number_id}/messages`,
    headers: { authorization: `Bearer ${world.fx.access_token}`, 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** Answers seen (200 or the error code), so the test can show the input reached every check. */
const seen = new Set<number>();

function expectMetaAnswer({ status, body }: { status: number; body: Json }): void {
  seen.add(status === 200 ? 200 : (body?.error?.code as number));
  expect(status).toBeLessThan(500);
  if (status === 200) {
    if (body.success !== true) expect(body.messages[0].id).toMatch(/^wamid\./);
    return;
  }
  expect(status).toBeGreaterThanOrEqual(400);
  expect(body.error).toEqual(
    expect.objectContaining({ message: expect.any(String), type: expect.any(String), code: expect.any(Number), fbtrace_id: expect.any(String) }),
  );
  if (body.error.error_data !== undefined) expect(body.error.error_data).toEqual({ messaging_product: 'whatsapp', details: expect.any(String) });
}

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', ' ', 'x'.repeat(4097), '👍', 'https://example.com/a.jpg', 'wamid.HBgL', '123'));
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(text, tie('any'), { maxKeys: 4 })),
})).any;

const valid = [
  { type: 'text', text: { body: 'hi', preview_url: true } },
  { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'c' } },
  { type: 'audio', audio: { id: '123456789012345', voice: true } },
  { type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } },
  { type: 'sticker', sticker: { id: '1' } },
  { type: 'location', location: { latitude: 1, longitude: 2, name: 'n' } },
  { type: 'contacts', contacts: [{ name: { formatted_name: 'A' }, phones: [{ phone: '1' }] }] },
  { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } },
  { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [] }] } },
  { type: 'interactive', interactive: { type: 'button', body: { text: 'b' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }] } } },
  { type: 'interactive', interactive: { type: 'list', body: { text: 'b' }, action: { button: 'x', sections: [{ rows: [{ id: 'r', title: 't' }] }] } } },
  { type: 'interactive', interactive: { type: 'cta_url', body: { text: 'b' }, action: { name: 'cta_url', parameters: { display_text: 'd', url: 'https://e.com' } } } },
  { status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'text' } },
];

/** A valid body with one field somewhere replaced by an arbitrary value, or deleted. */
const mutated = fc
  .tuple(fc.constantFrom(...valid), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.option(value, { nil: undefined }), fc.integer({ min: 16500000000, max: 16599999999 }))
  .map(([template, path, replacement, to]) => {
    const body = structuredClone({ messaging_product: 'whatsapp', to: String(to), ...template }) as Record<string, unknown>;
    let node: unknown = body;
    for (let depth = 0; depth < path.length; depth++) {
      if (typeof node !== 'object' || node === null) break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const key = keys[path[depth]! % keys.length]!;
      const child = (node as Record<string, unknown>)[key];
      if (depth === path.length - 1 || typeof child !== 'object' || child === null) {
        if (replacement === undefined) delete (node as Record<string, unknown>)[key];
        else (node as Record<string, unknown>)[key] = replacement;
        break;
      }
      node = child;
    }
    return body;
  });

describe('POST /{phone-number-id}/messages under random input', () => {
  it('answers mutated valid bodies with 200 or a Meta error, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(mutated, async (body) => expectMetaAnswer(await post(body))), { numRuns: 3_000 });
    for (const code of [200, 100, 131008, 131009, 131051]) expect(seen).toContain(code);
  });

  it('answers arbitrary JSON and non-JSON with a Meta error, never a 5xx', async () => {
    await fc.assert(fc.asyncProperty(value, async (body) => expectMetaAnswer(await post(body === undefined ? 'null' : JSON.stringify(body)))), { numRuns: 1_000 });
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 50 }), async (raw) => expectMetaAnswer(await post(raw))), { numRuns: 300 });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(text, text, { maxKeys: 6 }), async (form) =>
        expectMetaAnswer(await post(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded')),
      ),
      { numRuns: 300 },
    );
  });

  it('lives the accepted messages through their statuses without errors', () => {
    const errors = vi.spyOn(world.emu.ctx.logger, 'error');
    world.clock.advance(24 * 3_600_000);
    expect(errors).not.toHaveBeenCalled();
  });
});
