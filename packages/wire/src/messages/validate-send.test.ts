import { describe, expect, it } from 'vitest';
import { GraphError } from '../errors/graph-error.js';
import { mediaFitsType, mediaTypeOf } from './media-types.js';
import { recipientWaId, validateSendRequest } from './validate-send.js';

const base = { messaging_product: 'whatsapp', to: '+16505551234' };

function failure(body: unknown): { code: number; details: string | undefined; message: string } {
  try {
    validateSendRequest(body);
  } catch (err) {
    if (err instanceof GraphError) return { code: err.code, details: err.details, message: err.message };
    throw err;
  }
  throw new Error('expected a GraphError');
}

const long = (n: number) => 'x'.repeat(n);

describe('validateSendRequest: valid messages', () => {
  const valid: Array<[string, Record<string, unknown>]> = [
    ['text', { type: 'text', text: { body: 'hi', preview_url: true } }],
    ['text without type', { text: { body: 'hi' } }],
    ['image by id', { type: 'image', image: { id: '1234567890', caption: 'c' } }],
    ['image by link', { type: 'image', image: { link: 'https://example.com/a.jpg' } }],
    ['audio voice', { type: 'audio', audio: { id: '1234', voice: true } }],
    ['video', { type: 'video', video: { link: 'http://example.com/v.mp4', caption: 'v' } }],
    ['document', { type: 'document', document: { id: '99', filename: 'a.pdf', caption: 'doc' } }],
    ['sticker', { type: 'sticker', sticker: { id: '77' } }],
    ['location (numbers)', { type: 'location', location: { latitude: 37.48, longitude: -122.14, name: 'HQ', address: '1 Hacker Way' } }],
    ['location (strings)', { type: 'location', location: { latitude: '37.48', longitude: '-122.14' } }],
    ['contacts', { type: 'contacts', contacts: [{ name: { formatted_name: 'A B', first_name: 'A' }, phones: [{ phone: '+1 650 555 1234', wa_id: '16505551234', type: 'WORK' }], birthday: '2000-01-31' }] }],
    ['reaction', { type: 'reaction', reaction: { message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgA=', emoji: '👍' } }],
    ['reaction removal', { type: 'reaction', reaction: { message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgA=', emoji: '' } }],
    ['reaction flag', { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '🇧🇷' } }],
    ['template', { type: 'template', template: { name: 'hello_world', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [] }] } }],
    ['reply buttons', {
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'image', image: { id: '123' } },
        body: { text: 'Pick' },
        footer: { text: 'f' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'A' } }, { type: 'reply', reply: { id: 'b', title: 'B' } }] },
      },
    }],
    ['list', {
      type: 'interactive',
      interactive: {
        type: 'list',
        header: { type: 'text', text: 'H' },
        body: { text: 'Pick' },
        action: {
          button: 'Options',
          sections: [
            { title: 'S1', rows: [{ id: 'r1', title: 'R1', description: 'd' }] },
            { title: 'S2', rows: [{ id: 'r2', title: 'R2' }] },
          ],
        },
      },
    }],
    ['cta_url', { type: 'interactive', interactive: { type: 'cta_url', body: { text: 'Go' }, action: { name: 'cta_url', parameters: { display_text: 'Open', url: 'https://example.com' } } } }],
    ['flow', { type: 'interactive', interactive: { type: 'flow', body: { text: 'Go' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_id: '123', flow_cta: 'Book', flow_action: 'navigate', flow_action_payload: { screen: 'A' } } } } }],
    ['location request', { type: 'interactive', interactive: { type: 'location_request_message', body: { text: 'Where?' }, action: { name: 'send_location' } } }],
    ['context reply', { type: 'text', text: { body: 'reply' }, context: { message_id: 'wamid.abc' }, biz_opaque_callback_data: 'x' }],
  ];

  it.each(valid)('%s', (_name, fields) => {
    const result = validateSendRequest({ ...base, ...fields });
    expect(result.kind).toBe('message');
    if (result.kind === 'message') expect(result.type).toBe((fields.type as string | undefined) ?? 'text');
  });

  it('accepts a numeric to and a read receipt with a typing indicator', () => {
    const sent = validateSendRequest({ messaging_product: 'whatsapp', to: 16505551234, text: { body: 'x' } });
    expect(sent.kind === 'message' && sent.to).toBe('16505551234');
    const read = validateSendRequest({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'text' } });
    expect(read).toMatchObject({ kind: 'read', typingIndicator: true });
  });
});

describe('validateSendRequest: invalid messages', () => {
  const invalid: Array<[string, unknown, number, string | RegExp]> = [
    ['not an object', [], 100, 'The parameter messaging_product is required.'],
    ['no messaging_product', { to: '1', text: { body: 'x' } }, 100, 'The parameter messaging_product is required.'],
    ['wrong messaging_product', { ...base, messaging_product: 'sms', text: { body: 'x' } }, 100, 'Param messaging_product must be "whatsapp".'],
    ['no to', { messaging_product: 'whatsapp', text: { body: 'x' } }, 100, 'The parameter to is required.'],
    ['recipient instead of to', { messaging_product: 'whatsapp', recipient: 'US.123', text: { body: 'x' } }, 131062, /business-scoped/],
    ['unknown type', { ...base, type: 'hologram' }, 131051, 'Message type hologram is not supported.'],
    ['type not a string', { ...base, type: 5 }, 100, 'Param type must be a string.'],
    ['group recipient', { ...base, recipient_type: 'group', text: { body: 'x' } }, 131009, /Group/],
    ['bad recipient_type', { ...base, recipient_type: 'crowd', text: { body: 'x' } }, 100, 'Param recipient_type must be one of {individual, group}.'],
    ['opaque data too long', { ...base, text: { body: 'x' }, biz_opaque_callback_data: long(513) }, 100, 'Param biz_opaque_callback_data must be at most 512 characters long.'],
    // text
    ['text object missing', { ...base, type: 'text' }, 131008, 'The parameter text is required.'],
    ['text body missing', { ...base, type: 'text', text: {} }, 131008, "The parameter text['body'] is required."],
    ['text body too long', { ...base, text: { body: long(4097) } }, 100, "Param text['body'] must be at most 4096 characters long."],
    ['text body not a string', { ...base, text: { body: 12 } }, 100, "Param text['body'] must be a string."],
    ['text empty', { ...base, text: { body: '' } }, 100, "Param text['body'] must be at least 1 character long."],
    ['preview_url not boolean', { ...base, text: { body: 'x', preview_url: 'yes' } }, 100, "Param text['preview_url'] must be a boolean."],
    // media
    ['image neither id nor link', { ...base, type: 'image', image: { caption: 'c' } }, 131008, "The parameter image['id'] or image['link'] is required."],
    ['image both', { ...base, type: 'image', image: { id: '1', link: 'https://e.com/a.jpg' } }, 131009, /either 'id' or 'link'/],
    ['image caption too long', { ...base, type: 'image', image: { id: '1', caption: long(1025) } }, 100, "Param image['caption'] must be at most 1024 characters long."],
    ['video bad link', { ...base, type: 'video', video: { link: 'ftp://e.com/v.mp4' } }, 131009, /http/],
    ['audio caption', { ...base, type: 'audio', audio: { id: '1', caption: 'no' } }, 131009, "Param audio['caption'] is not supported for audio messages."],
    ['document bad id', { ...base, type: 'document', document: { id: 'abc' } }, 131009, "Param document['id'] is not a valid media id."],
    ['sticker not object', { ...base, type: 'sticker', sticker: 'x' }, 100, 'Param sticker must be a JSON object.'],
    // location
    ['location missing latitude', { ...base, type: 'location', location: { longitude: 1 } }, 131008, "The parameter location['latitude'] is required."],
    ['latitude out of range', { ...base, type: 'location', location: { latitude: 91, longitude: 1 } }, 131009, "Param location['latitude'] must be between -90 and 90."],
    ['longitude not a number', { ...base, type: 'location', location: { latitude: 1, longitude: 'east' } }, 100, "Param location['longitude'] must be a number."],
    // contacts
    ['contacts empty', { ...base, type: 'contacts', contacts: [] }, 100, 'Param contacts must have at least 1 element.'],
    ['contacts not array', { ...base, type: 'contacts', contacts: {} }, 100, 'Param contacts must be an array.'],
    ['contact without formatted_name', { ...base, type: 'contacts', contacts: [{ name: { first_name: 'A' } }] }, 131008, "The parameter contacts[0]['name']['formatted_name'] is required."],
    ['too many contacts', { ...base, type: 'contacts', contacts: Array.from({ length: 258 }, () => ({ name: { formatted_name: 'A' } })) }, 100, 'Param contacts must have at most 257 elements.'],
    ['bad birthday', { ...base, type: 'contacts', contacts: [{ name: { formatted_name: 'A' }, birthday: '31/01/2000' }] }, 131009, /YYYY-MM-DD/],
    // reaction
    ['reaction without message_id', { ...base, type: 'reaction', reaction: { emoji: '👍' } }, 131008, "The parameter reaction['message_id'] is required."],
    ['reaction text emoji', { ...base, type: 'reaction', reaction: { message_id: 'wamid.x', emoji: 'ok' } }, 131009, /single emoji/],
    ['reaction as reply', { ...base, type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' }, context: { message_id: 'wamid.y' } }, 131009, /contextual reply/],
    // template
    ['template without name', { ...base, type: 'template', template: { language: { code: 'en' } } }, 131008, "The parameter template['name'] is required."],
    ['template without language code', { ...base, type: 'template', template: { name: 'x', language: {} } }, 131008, "The parameter template['language']['code'] is required."],
    ['template components not array', { ...base, type: 'template', template: { name: 'x', language: { code: 'en' }, components: {} } }, 100, "Param template['components'] must be an array."],
    // interactive
    ['interactive unknown subtype', { ...base, type: 'interactive', interactive: { type: 'carousel3d', body: { text: 'x' }, action: {} } }, 100, /Param interactive\['type'\] must be one of/],
    ['interactive without action', { ...base, type: 'interactive', interactive: { type: 'button', body: { text: 'x' } } }, 131008, "The parameter interactive['action'] is required."],
    ['interactive without body', { ...base, type: 'interactive', interactive: { type: 'button', action: { buttons: [] } } }, 131008, "The parameter interactive['body'] is required."],
    ['four buttons', {
      ...base, type: 'interactive',
      interactive: { type: 'button', body: { text: 'x' }, action: { buttons: ['a', 'b', 'c', 'd'].map((id) => ({ type: 'reply', reply: { id, title: id } })) } },
    }, 100, "Param interactive['action']['buttons'] must have at most 3 elements."],
    ['button title too long', {
      ...base, type: 'interactive',
      interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: long(21) } }] } },
    }, 100, "Param interactive['action']['buttons'][0]['reply']['title'] must be at most 20 characters long."],
    ['duplicate button titles', {
      ...base, type: 'interactive',
      interactive: { type: 'button', body: { text: 'x' }, action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'Same' } }, { type: 'reply', reply: { id: 'b', title: 'Same' } }] } },
    }, 131009, /unique/],
    ['list header image', {
      ...base, type: 'interactive',
      interactive: { type: 'list', header: { type: 'image', image: { id: '1' } }, body: { text: 'x' }, action: { button: 'b', sections: [{ rows: [{ id: 'r', title: 't' }] }] } },
    }, 131009, /must be text/],
    ['list eleven rows', {
      ...base, type: 'interactive',
      interactive: {
        type: 'list', body: { text: 'x' },
        action: { button: 'b', sections: [{ title: 'a', rows: Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, title: 't' })) }, { title: 'b', rows: Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, title: 't' })) }] },
      },
    }, 131009, /at most 10 rows in total/],
    ['list second section untitled', {
      ...base, type: 'interactive',
      interactive: { type: 'list', body: { text: 'x' }, action: { button: 'b', sections: [{ title: 'a', rows: [{ id: 'a', title: 't' }] }, { rows: [{ id: 'b', title: 't' }] }] } },
    }, 131008, "The parameter interactive['action']['sections'][1]['title'] is required."],
    ['cta_url bad url', {
      ...base, type: 'interactive',
      interactive: { type: 'cta_url', body: { text: 'x' }, action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'javascript:alert(1)' } } },
    }, 131009, /http/],
    ['flow with id and name', {
      ...base, type: 'interactive',
      interactive: { type: 'flow', body: { text: 'x' }, action: { name: 'flow', parameters: { flow_message_version: '3', flow_cta: 'Go', flow_id: '1', flow_name: 'n' } } },
    }, 131009, /cannot be used together/],
    ['product without catalog', { ...base, type: 'interactive', interactive: { type: 'product', action: { catalog_id: '1' } } }, 131009, /catalog/],
    // read receipts
    ['read without message_id', { messaging_product: 'whatsapp', status: 'read' }, 100, 'The parameter message_id is required.'],
    ['unknown status', { messaging_product: 'whatsapp', status: 'delivered', message_id: 'wamid.x' }, 100, 'Param status must be "read".'],
    ['bad typing indicator', { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x', typing_indicator: { type: 'audio' } }, 100, "Param typing_indicator['type'] must be \"text\"."],
  ];

  it.each(invalid)('%s', (_name, body, code, details) => {
    const error = failure(body);
    expect(error.code).toBe(code);
    if (typeof details === 'string') expect(error.details).toBe(details);
    else expect(error.details).toMatch(details);
  });

  it("words a missing envelope field in the message, as Meta does", () => {
    expect(failure({ messaging_product: 'whatsapp', text: { body: 'x' } }).message).toBe('(#100) The parameter to is required.');
    expect(failure({ ...base, type: 'text' }).message).toBe('(#131008) Required parameter is missing');
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateSendRequest({ ...base, text: { body: '😀'.repeat(4096) } }).kind).toBe('message');
    expect(failure({ ...base, text: { body: '😀'.repeat(4097) } }).code).toBe(100);
  });
});

describe('recipients and media types', () => {
  it('prepends the business calling code when there is no +', () => {
    expect(recipientWaId('(631) 555-1234', '91')).toBe('916315551234');
    expect(recipientWaId('+1 650-555-1234', '91')).toBe('16505551234');
    expect(() => recipientWaId('not a number', '1')).toThrow(GraphError);
  });

  it('maps MIME types to media message types', () => {
    expect(mediaTypeOf('audio/ogg; codecs=opus')).toBe('audio');
    expect(mediaTypeOf('image/webp')).toBe('sticker');
    expect(mediaTypeOf('image/gif')).toBeUndefined();
    expect(mediaFitsType('image/webp', 'image')).toBe(false);
    expect(mediaFitsType('application/pdf', 'document')).toBe(true);
  });
});
