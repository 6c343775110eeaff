import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, type Json, type World } from '../messaging/test-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

type Part = ['field', string, string] | ['file', Buffer, string, string?];

/** A multipart upload with the parts in exactly the order given. */
async function upload(parts: Part[], options: { query?: string; token?: string } = {}): Promise<{ status: number; body: Json }> {
  const form = new FormData();
  for (const part of parts) {
    if (part[0] === 'field') form.append(part[1], part[2]);
    else form.append('file', new Blob([part[1]], part[3] === undefined ? {} : { type: part[3] }), part[2]);
  }
  const response = await fetch(`${world.url}/v23.0/${world.fx.phone_number_id}/media${options.query ?? ''}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${options.token ?? world.fx.access_token}` },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

const get = (path: string, token = world.fx.access_token) => world.call('GET', path, undefined, token);

describe('media upload', () => {
  it('accepts the fields in any order, and messaging_product in the query', async () => {
    const orders: Part[][] = [
      [['field', 'messaging_product', 'whatsapp'], ['field', 'type', 'image/png'], ['file', PNG, 'a.png', 'image/png']],
      [['file', PNG, 'a.png', 'image/png'], ['field', 'type', 'image/png'], ['field', 'messaging_product', 'whatsapp']],
      [['field', 'type', 'image/png'], ['file', PNG, 'a.png', 'image/png'], ['field', 'messaging_product', 'whatsapp']],
    ];
    for (const parts of orders) {
      const res = await upload(parts);
      expect(res).toEqual({ status: 200, body: { id: expect.stringMatching(/^\d{15,17}$/) } });
    }
    const viaQuery = await upload([['file', PNG, 'a.png', 'image/png']], { query: '?messaging_product=whatsapp' });
    expect(viaQuery.status).toBe(200);
    // A file part without a content type takes the type field's.
    const untyped = await upload([['field', 'messaging_product', 'whatsapp'], ['field', 'type', 'image/png'], ['file', PNG, 'a.png']]);
    expect(untyped.status).toBe(200);
  });

  it("refuses what WhatsApp does not take with 131053, and missing parameters with 100", async () => {
    const gif = await upload([['field', 'messaging_product', 'whatsapp'], ['file', Buffer.from('GIF89a'), 'a.gif', 'image/gif']]);
    expect(gif.body.error).toMatchObject({ code: 131053, error_data: { details: expect.stringContaining('image/gif') } });
    const bigImage = await upload([['field', 'messaging_product', 'whatsapp'], ['file', Buffer.alloc(5 * 1024 * 1024 + 1), 'big.jpg', 'image/jpeg']]);
    expect(bigImage.body.error).toMatchObject({ code: 131053, error_data: { details: expect.stringContaining('at most 5242880 bytes') } });
    const bigSticker = await upload([['field', 'messaging_product', 'whatsapp'], ['file', Buffer.alloc(500 * 1024 + 1), 's.webp', 'image/webp']]);
    expect(bigSticker.body.error.code).toBe(131053);
    const mismatch = await upload([['field', 'messaging_product', 'whatsapp'], ['field', 'type', 'video/mp4'], ['file', PNG, 'a.png', 'image/png']]);
    expect(mismatch.body.error.code).toBe(131053);
    const noProduct = await upload([['file', PNG, 'a.png', 'image/png']]);
    expect(noProduct.body.error).toMatchObject({ code: 100, message: '(#100) The parameter messaging_product is required.' });
    const noFile = await upload([['field', 'messaging_product', 'whatsapp']]);
    expect(noFile.body.error).toMatchObject({ code: 100, message: '(#100) The parameter file is required.' });
    const badToken = await upload([['field', 'messaging_product', 'whatsapp'], ['file', PNG, 'a.png', 'image/png']], { token: 'EAAGbad' });
    expect(badToken.status).toBe(401);
    const notMultipart = await world.call('POST', `/${world.fx.phone_number_id}/media`, { messaging_product: 'whatsapp', file: '@a.png' }, world.fx.access_token);
    expect(notMultipart.body.error.code).toBe(100);
  });
});

describe('media retrieval, download, deletion', () => {
  it('gives a URL on the emulator that downloads with the token for 5 minutes', async () => {
    const { id } = (await upload([['field', 'messaging_product', 'whatsapp'], ['file', PNG, 'logo.png', 'image/png']])).body;
    const info = await get(`/v23.0/${id}`);
    expect(info.body).toEqual({
      messaging_product: 'whatsapp',
      url: expect.stringMatching(new RegExp(`^${world.url}/whatsapp_business/attachments/\\?mid=${id}&ext=\\d+&hash=`)),
      mime_type: 'image/png',
      sha256: createHash('sha256').update(PNG).digest('hex'),
      file_size: String(PNG.length),
      id,
    });
    const download = (token?: string) => fetch(info.body.url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    const ok = await download(world.fx.access_token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await ok.arrayBuffer())).toEqual(PNG);
    expect((await download()).status).toBe(404);
    expect((await download('EAAGwrong')).status).toBe(404);
    const tampered = await fetch(info.body.url.replace(/ext=\d+/, 'ext=9999999999'), { headers: { authorization: `Bearer ${world.fx.access_token}` } });
    expect(tampered.status).toBe(404);

    world.clock.advance(4 * 60_000 + 59_000);
    expect((await download(world.fx.access_token)).status).toBe(200);
    world.clock.advance(2_000);
    expect((await download(world.fx.access_token)).status).toBe(404);
    // A new GET gives a fresh URL.
    const again = await get(`/${id}`);
    expect((await fetch(again.body.url, { headers: { authorization: `Bearer ${world.fx.access_token}` } })).status).toBe(200);
  });

  it('checks phone_number_id and the token’s access, deletes, and forgets deleted media', async () => {
    const { id } = (await upload([['field', 'messaging_product', 'whatsapp'], ['file', Buffer.from('%PDF-1.4 x'), 'a.pdf', 'application/pdf']])).body;
    expect((await get(`/${id}?phone_number_id=${world.fx.phone_number_id}`)).status).toBe(200);
    expect((await get(`/${id}?phone_number_id=123`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await get(`/${id}`, 'EAAGnope')).status).toBe(401);
    const url = (await get(`/${id}`)).body.url as string;
    expect(await world.call('DELETE', `/v23.0/${id}`, undefined, world.fx.access_token)).toEqual({ status: 200, body: { success: true } });
    expect((await get(`/${id}`)).body.error).toMatchObject({ code: 100, error_subcode: 33 });
    expect((await fetch(url, { headers: { authorization: `Bearer ${world.fx.access_token}` } })).status).toBe(404);
  });

  it('sends uploaded media by id; a sticker sent as an image fails with 131053', async () => {
    const image = (await upload([['field', 'messaging_product', 'whatsapp'], ['file', PNG, 'a.png', 'image/png']])).body.id;
    const webp = (await upload([['field', 'messaging_product', 'whatsapp'], ['file', Buffer.from('RIFF....WEBP'), 's.webp', 'image/webp']])).body.id;
    await world.inbound('16505559001', { text: { body: 'hi' } });
    const good = (await world.send({ to: '16505559001', type: 'image', image: { id: image, caption: 'logo' } })).body.messages[0].id;
    const bad = (await world.send({ to: '16505559001', type: 'image', image: { id: webp } })).body.messages[0].id;
    world.clock.advance(1_000);
    const statusesOf = (id: string) => world.statuses().filter((s: Json) => s.id === id);
    await vi.waitFor(() => expect(statusesOf(good).map((s: Json) => s.status)).toContain('delivered'));
    expect(statusesOf(bad)).toMatchObject([{ status: 'failed', errors: [{ code: 131053 }] }]);
  });
});
