import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld, templateBody, type Json, type World } from './test-world.js';

let world: World;
let user = 16505550000;
/** A fresh recipient per send, so pair limits and windows of one case do not touch another. */
const nextUser = () => String(++user);

beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

function expectMetaError(body: Json, code: number): void {
  expect(body.error).toMatchObject({ code, type: expect.any(String), message: expect.any(String), fbtrace_id: expect.any(String) });
}

describe('POST /{phone-number-id}/messages: accepted types', () => {
  const bodies: Array<[string, Record<string, unknown>]> = [
    ['text', { type: 'text', text: { body: 'Hello', preview_url: false } }],
    ['image by link', { type: 'image', image: { link: 'https://example.com/a.jpg', caption: 'An image' } }],
    ['audio by link', { type: 'audio', audio: { link: 'https://example.com/a.ogg' } }],
    ['video by link', { type: 'video', video: { link: 'https://example.com/a.mp4' } }],
    ['document by link', { type: 'document', document: { link: 'https://example.com/a.pdf', filename: 'a.pdf' } }],
    ['sticker by link', { type: 'sticker', sticker: { link: 'https://example.com/a.webp' } }],
    ['location', { type: 'location', location: { latitude: 37.48, longitude: -122.14, name: 'HQ', address: '1 Hacker Way' } }],
    ['contacts', { type: 'contacts', contacts: [{ name: { formatted_name: 'Ann Lee' }, phones: [{ phone: '+1 650 555 0100', wa_id: '16505550100' }] }] }],
    ['interactive button', {
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons: [{ type: 'reply', reply: { id: 'y', title: 'Yes' } }, { type: 'reply', reply: { id: 'n', title: 'No' } }] } },
    }],
    ['interactive list', {
      type: 'interactive',
      interactive: { type: 'list', body: { text: 'Pick' }, action: { button: 'Menu', sections: [{ title: 'S', rows: [{ id: 'r1', title: 'Row' }] }] } },
    }],
    ['interactive cta_url', {
      type: 'interactive',
      interactive: { type: 'cta_url', body: { text: 'See' }, action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } } },
    }],
    ['interactive flow', {
      type: 'interactive',
      interactive: { type: 'flow', body: { text: 'Book' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_name: 'booking', flow_cta: 'Book now' } } },
    }],
    ['context reply', { type: 'text', text: { body: 'Re' }, context: { message_id: 'wamid.HBgLMTY1MDU1NTAxMDAVAgASGBQzQUJDAA==' } }],
  ];

  it.each(bodies)('%s: 200 with contacts and a wamid', async (_name, fields) => {
    const to = nextUser();
    const res = await world.send({ to: `+${to}`, ...fields });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      messaging_product: 'whatsapp',
      contacts: [{ input: `+${to}`, wa_id: to }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    });
  });

  it('template: message_status accepted', async () => {
    const res = await world.send(templateBody(nextUser(), 'hello_world'));
    expect(res.status).toBe(200);
    expect(res.body.messages[0]).toEqual({ id: expect.stringMatching(/^wamid\./), message_status: 'accepted' });
  });

  it('reaction to a message: 200', async () => {
    const to = nextUser();
    const sent = await world.send({ to, type: 'text', text: { body: 'x' } });
    const res = await world.send({ to, type: 'reaction', reaction: { message_id: sent.body.messages[0].id, emoji: '👍' } });
    expect(res.status).toBe(200);
  });

  it("prepends the business number's calling code when to has no +", async () => {
    // The sandbox number is +1 555…, so a 10-digit national number gets "1".
    const res = await world.send({ to: '(650) 555-0199', text: { body: 'x' } });
    expect(res.body.contacts[0]).toEqual({ input: '(650) 555-0199', wa_id: '16505550199' });
  });

  it('accepts form-encoded bodies with JSON object parameters, as the Graph API does', async () => {
    const response = await fetch(`${world.url}/v23.0/${world.fx.phone_number_id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${world.fx.access_token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ messaging_product: 'whatsapp', to: nextUser(), type: 'text', text: JSON.stringify({ body: 'form' }) }).toString(),
    });
    expect(response.status).toBe(200);
  });
});

describe('POST /{phone-number-id}/messages: refusals', () => {
  const invalid: Array<[string, Record<string, unknown>, number, string | RegExp]> = [
    ['no to', { text: { body: 'x' } }, 100, 'The parameter to is required.'],
    ['unknown type', { to: '16505551234', type: 'poll', poll: {} }, 131051, /poll/],
    ['text too long', { to: '16505551234', text: { body: 'x'.repeat(4097) } }, 100, "Param text['body'] must be at most 4096 characters long."],
    ['missing image object', { to: '16505551234', type: 'image' }, 131008, 'The parameter image is required.'],
    ['image id and link', { to: '16505551234', type: 'image', image: { id: '1', link: 'https://e.com/a.jpg' } }, 131009, /not both/],
    ['audio without id or link', { to: '16505551234', type: 'audio', audio: {} }, 131008, /audio\['id'\] or audio\['link'\]/],
    ['video caption too long', { to: '16505551234', type: 'video', video: { id: '1', caption: 'c'.repeat(1025) } }, 100, /at most 1024/],
    ['document link not http', { to: '16505551234', type: 'document', document: { link: 'file:///etc/passwd' } }, 131009, /http/],
    ['sticker with caption', { to: '16505551234', type: 'sticker', sticker: { id: '1', caption: 'x' } }, 131009, /caption/],
    ['location latitude', { to: '16505551234', type: 'location', location: { latitude: 'north', longitude: 1 } }, 100, /must be a number/],
    ['contacts without name', { to: '16505551234', type: 'contacts', contacts: [{ phones: [] }] }, 131008, "The parameter contacts[0]['name'] is required."],
    ['reaction not an emoji', { to: '16505551234', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: 'yes' } }, 131009, /emoji/],
    ['interactive four buttons', {
      to: '16505551234', type: 'interactive',
      interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [1, 2, 3, 4].map((i) => ({ type: 'reply', reply: { id: `b${i}`, title: `B${i}` } })) } },
    }, 100, /at most 3/],
    ['interactive list row title', {
      to: '16505551234', type: 'interactive',
      interactive: { type: 'list', body: { text: 'x' }, action: { button: 'b', sections: [{ rows: [{ id: 'r', title: 't'.repeat(25) }] }] } },
    }, 100, /at most 24/],
    ['template without language', { to: '16505551234', type: 'template', template: { name: 'hello_world' } }, 131008, "The parameter template['language'] is required."],
    ['unknown template', templateBody('16505551234', 'no_such_template'), 132001, /no_such_template/],
    ['to not a number', { to: 'call me', text: { body: 'x' } }, 100, /valid phone number/],
  ];

  it.each(invalid)('%s', async (_name, fields, code, details) => {
    const res = await world.send(fields);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expectMetaError(res.body, code);
    if (typeof details === 'string') expect(res.body.error.error_data.details).toBe(details);
    else expect(res.body.error.error_data.details).toMatch(details);
  });

  it('refuses a bad token (190), an unknown number (100/33) and the sender as recipient (131021)', async () => {
    const badToken = await world.send({ to: '16505551234', text: { body: 'x' } }, { token: 'EAAGnope' });
    expect(badToken.status).toBe(401);
    expectMetaError(badToken.body, 190);
    const unknown = await world.send({ to: '16505551234', text: { body: 'x' } }, { phoneId: '123456789012345' });
    expect(unknown.body.error).toMatchObject({ code: 100, error_subcode: 33 });
    const self = await world.send({ to: `+${world.fx.wa_id}`, text: { body: 'x' } });
    expectMetaError(self.body, 131021);
  });

  it('refuses to send from a number that is not registered (133010)', async () => {
    const phone = world.emu.ctx.state.phoneNumbers.get(world.fx.phone_number_id)!;
    phone.status = 'PENDING';
    try {
      const res = await world.send({ to: '16505551234', text: { body: 'x' } });
      expect(res.status).toBe(400);
      expectMetaError(res.body, 133010);
    } finally {
      phone.status = 'CONNECTED';
    }
  });
});

describe('mark as read', () => {
  it('marks an inbound message and earlier ones read, with a typing indicator', async () => {
    const from = nextUser();
    const first = await world.inbound(from, { text: { body: 'one' } });
    const second = await world.inbound(from, { text: { body: 'two' } });
    const res = await world.send({ status: 'read', message_id: second.messages[0].id, typing_indicator: { type: 'text' } });
    expect(res).toEqual({ status: 200, body: { success: true } });
    for (const id of [first.messages[0].id, second.messages[0].id]) {
      const message = await world.call('GET', `/_emulator/messages/${id}`);
      expect(message.body.status).toBe('read');
    }
    expect((await world.call('GET', `/_emulator/users/${from}`)).body.typing).toBe(true);
  });

  it('refuses an id that is not a message this number received', async () => {
    const res = await world.send({ status: 'read', message_id: 'wamid.HBgLMTY1MDU1NTAxMDAVAgASGBQzQUJDAA==' });
    expectMetaError(res.body, 131009);
  });
});
