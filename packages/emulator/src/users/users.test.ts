import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWorld, templateBody, type Json, type World } from '../messaging/test-world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

/** The inbound webhook value carrying message `id`. */
async function inboundValue(id: string): Promise<Json> {
  let value: Json;
  await vi.waitFor(() => {
    value = world.changes('messages').find((v: Json) => v.messages?.[0]?.id === id);
    expect(value).toBeDefined();
  });
  return value;
}

describe('inbound messages', () => {
  it('delivers a text as a messages webhook with contacts and metadata, and opens the window', async () => {
    await world.call('PATCH', '/_emulator/users/16505553000', { profileName: 'Sheena Nelson' });
    const sent = await world.inbound('16505553000', { text: { body: 'Does it come in another color?' } });
    const value = await inboundValue(sent.messages[0].id);
    expect(value).toEqual({
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: world.fx.wa_id, phone_number_id: world.fx.phone_number_id },
      contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505553000' }],
      messages: [{ from: '16505553000', id: sent.messages[0].id, timestamp: String(Math.floor(world.clock.now() / 1000)), type: 'text', text: { body: 'Does it come in another color?' } }],
    });
    const user = await world.call('GET', '/_emulator/users/16505553000');
    expect(user.body.service_windows).toEqual([expect.objectContaining({ phone_number_id: world.fx.phone_number_id, open: true })]);
  });

  it('stores media the user sends and gives it a downloadable media id', async () => {
    const bytes = Buffer.from('a tiny jpeg');
    const sent = await world.inbound('16505553001', { type: 'image', image: { data: bytes.toString('base64'), mime_type: 'image/jpeg', caption: 'look' } });
    const image = (await inboundValue(sent.messages[0].id)).messages[0].image;
    expect(image).toEqual({
      mime_type: 'image/jpeg',
      sha256: createHash('sha256').update(bytes).digest('base64'),
      id: expect.stringMatching(/^\d+$/),
      url: expect.stringContaining('/whatsapp_business/attachments/'),
      caption: 'look',
    });
    const info = await world.call('GET', `/${image.id}`, undefined, world.fx.access_token);
    const file = await fetch(info.body.url, { headers: { authorization: `Bearer ${world.fx.access_token}` } });
    expect(Buffer.from(await file.arrayBuffer())).toEqual(bytes);
  });

  it('sends every type in Meta’s inbound shape', async () => {
    const from = '16505553002';
    const business = world.fx.wa_id;
    // Something to quote and react to, and an interactive message and a template to answer.
    await world.inbound(from, { text: { body: 'hi' } });
    const buttons = (await world.send({
      to: from, type: 'interactive',
      interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }] } },
    })).body.messages[0].id;
    const template = (await world.send(templateBody(from, 'hello_world'))).body.messages[0].id;
    world.clock.advance(1_000);

    const cases: Array<[Record<string, unknown>, Json]> = [
      [{ type: 'audio', audio: { voice: true } }, { audio: expect.objectContaining({ mime_type: 'audio/ogg; codecs=opus', voice: true }) }],
      [{ type: 'video', video: {} }, { video: expect.objectContaining({ mime_type: 'video/mp4' }) }],
      [{ type: 'document', document: { filename: 'cv.pdf' } }, { document: expect.objectContaining({ mime_type: 'application/pdf', filename: 'cv.pdf' }) }],
      [{ type: 'sticker', sticker: { animated: true } }, { sticker: expect.objectContaining({ mime_type: 'image/webp', animated: true }) }],
      [{ type: 'location', location: { latitude: 37.44, longitude: -122.16, name: 'Philz Coffee' } }, { location: { latitude: 37.44, longitude: -122.16, name: 'Philz Coffee' } }],
      [{ type: 'contacts', contacts: [{ name: { formatted_name: 'Lucía Gómez' }, phones: [{ phone: '+1 983 555 2319' }] }] }, { contacts: [{ name: { formatted_name: 'Lucía Gómez' }, phones: [{ phone: '+1 983 555 2319' }] }] }],
      [{ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } } },
        { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } }, context: { from: business, id: buttons } }],
      [{ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Row', description: 'd' } }, context: { message_id: buttons } },
        { interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Row', description: 'd' } }, context: { from: business, id: buttons } }],
      [{ type: 'button', button: { text: 'Stop promotions', payload: 'STOP' } }, { button: { text: 'Stop promotions', payload: 'STOP' }, context: { from: business, id: template } }],
      [{ type: 'reaction', reaction: { message_id: template, emoji: '❤️' } }, { reaction: { message_id: template, emoji: '❤️' } }],
      [{ type: 'text', text: { body: 'quoting' }, context: { message_id: template } }, { text: { body: 'quoting' }, context: { from: business, id: template } }],
      [{ type: 'order', order: { catalog_id: '1' } }, {
        type: 'unsupported',
        errors: [expect.objectContaining({ code: 131051, title: 'Message type unknown', error_data: { details: 'Message type is currently not supported.' } })],
      }],
    ];
    for (const [body, expected] of cases) {
      const sent = await world.inbound(from, body);
      const message = (await inboundValue(sent.messages[0].id)).messages[0];
      expect(message).toMatchObject({ from, id: sent.messages[0].id, type: body.type === 'order' ? 'unsupported' : body.type, ...expected });
    }
  });

  it('refuses inbound messages it cannot make sense of, in the control API’s error shape', async () => {
    const bad = [
      { text: { body: '' } },
      { phone_number_id: '1', text: { body: 'x' } },
      { type: 'location', location: { latitude: 'n' } },
      { type: 'interactive', interactive: { type: 'tap' } },
      { type: 'image', image: { id: '42' } },
    ];
    for (const body of bad) {
      const res = await world.call('POST', '/_emulator/users/16505553003/messages', { phone_number_id: world.fx.phone_number_id, ...body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
    expect((await world.call('POST', '/_emulator/users/not-a-number/messages', { text: { body: 'x' } })).status).toBe(400);
  });
});

describe('settings and inbox', () => {
  it('PUT replaces, PATCH merges, unknown or bad settings are refused', async () => {
    const put = await world.call('PUT', '/_emulator/users/16505553100', { readDelayMs: 5, online: false });
    expect(put.body.settings).toMatchObject({ readDelayMs: 5, online: false, deliveryDelayMs: 200 });
    const patch = await world.call('PATCH', '/_emulator/users/16505553100', { deliveryDelayMs: 7 });
    expect(patch.body.settings).toMatchObject({ readDelayMs: 5, online: false, deliveryDelayMs: 7 });
    const replaced = await world.call('PUT', '/_emulator/users/16505553100', {});
    expect(replaced.body.settings).toMatchObject({ readDelayMs: 1_000, online: true });
    for (const bad of [{ readProbability: 2 }, { onWhatsapp: false }, { blocked: 'x' }, { marketingCap: -1 }, { scriptedReplies: [{ match: 1 }] }]) {
      expect((await world.call('PATCH', '/_emulator/users/16505553100', bad)).body.error.code).toBe(100);
    }
  });

  it('shows what the user received, and answers by script or automatically', async () => {
    const to = '16505553200';
    await world.call('PUT', `/_emulator/users/${to}`, {
      scriptedReplies: [
        { match: 'pick', reply: { type: 'interactive' }, delayMs: 500 },
        { match: 'menu', reply: { type: 'text', text: { body: 'pizza please' } }, once: true },
      ],
      autoReply: { text: 'thanks!' },
    });
    await world.inbound(to, { text: { body: 'hi' } });
    const menu = (await world.send({ to, text: { body: 'Here is the menu' } })).body.messages[0].id;
    const pick = (await world.send({
      to, type: 'interactive',
      interactive: { type: 'list', body: { text: 'Pick a size' }, action: { button: 'Sizes', sections: [{ rows: [{ id: 'L', title: 'Large' }] }] } },
    })).body.messages[0].id;
    const again = (await world.send({ to, text: { body: 'Here is the menu again' } })).body.messages[0].id;
    world.clock.advance(5_000);

    const replies = () => world.changes('messages').filter((v: Json) => v.contacts?.[0]?.wa_id === to).map((v: Json) => v.messages[0]);
    await vi.waitFor(() => expect(replies()).toHaveLength(4));
    // The tap comes first: its rule waits 500 ms, the others the default second.
    const [, tap, pizza, thanks] = replies();
    expect(pizza.text.body).toBe('pizza please');
    expect(tap).toMatchObject({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'L', title: 'Large' } }, context: { id: pick } });
    expect(thanks.text.body).toBe('thanks!');

    const inbox = await world.call('GET', `/_emulator/users/${to}/messages`);
    expect(inbox.body.data.map((m: Json) => m.id)).toEqual([menu, pick, again]);
    expect(inbox.body.data[0]).toMatchObject({ direction: 'outbound', type: 'text', status: 'read', content: { body: 'Here is the menu' }, pricing: { category: 'service' } });
  });
});
