import { describe, expect, it } from 'vitest';
import { GraphError } from '@switchboard/wire';
import { createHttpServer, stripVersion } from './create-http-server.js';
import { createLogger } from '../logger.js';

function app(storableText = false) {
  const server = createHttpServer({ logger: createLogger('test', 'silent'), graphVersions: true, ready: async () => true, storableText });
  server.get('/:id', async (request) => ({ id: (request.params as { id: string }).id, version: request.graphVersion ?? null }));
  server.post('/echo', async (request) => ({ body: request.body ?? null, raw: request.rawBody?.toString() ?? null }));
  server.get('/boom', async () => {
    throw new Error('secret internals');
  });
  server.get('/meta', async () => {
    throw new GraphError(131009, { details: 'bad value' });
  });
  return server;
}

describe('HTTP frame', () => {
  it('with storableText, refuses bodies with text PostgreSQL cannot store as Meta\'s 100', async () => {
    const post = (server: ReturnType<typeof app>, type: string, payload: string) => server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': type }, payload });
    for (const payload of ['{"a":"x\\u0000"}', '{"a":["\\ud800"]}', '{"\\udc00":1}']) {
      const refused = await post(app(true), 'application/json', payload);
      expect(refused.statusCode, payload).toBe(400);
      expect(refused.json().error.code).toBe(100);
      expect((await post(app(), 'application/json', payload)).statusCode).toBe(200);
    }
    expect((await post(app(true), 'application/x-www-form-urlencoded', 'code=1%002')).json().error.code).toBe(100);
    for (const url of ['/v23.0/1%00', '/1?fields=a%00b']) expect((await app(true).inject(url)).json().error.code, url).toBe(100);
    expect((await app(true).inject('/a%2500')).json()).toEqual({ id: 'a%00', version: null });
    // A pair is one character, and escapes of ordinary ones are fine.
    expect((await post(app(true), 'application/json', '{"a":"\\ud83d\\ude00 \\u00e9"}')).json().body).toEqual({ a: '\u{1F600} é' });
  });

  it('serves routes with and without a version segment', async () => {
    const server = app();
    expect((await server.inject('/v23.0/123')).json()).toEqual({ id: '123', version: 'v23.0' });
    expect((await server.inject('/123/')).json()).toEqual({ id: '123', version: null });
    expect(stripVersion('/v18.0')).toBe('/');
    expect(stripVersion('/v18.0?x=1')).toBe('/?x=1');
    const old = await server.inject('/v12.0/123');
    expect(old.statusCode).toBe(400);
    expect(old.json().error.code).toBe(100);
  });

  it('keeps the raw body and accepts bodiless and form posts', async () => {
    const server = app();
    const json = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"a":"é"}' });
    expect(json.json()).toEqual({ body: { a: 'é' }, raw: '{"a":"é"}' });
    const empty = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '' });
    expect(empty.json().body).toBeNull();
    const form = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'code=123456' });
    expect(form.json().body).toEqual({ code: '123456' });
  });

  it("renders every error in Meta's shape and hides internals", async () => {
    const server = app();
    const bad = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 100, type: 'OAuthException' });
    const proto = await server.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' });
    expect(proto.statusCode).toBe(400);
    const meta = await server.inject('/meta');
    expect(meta.json().error).toMatchObject({ code: 131009, error_data: { details: 'bad value' } });
    const boom = await server.inject('/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('secret internals');
    const badUrl = await server.inject('/%E0%A4%A');
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error.code).toBe(100);
    const longId = await server.inject(`/${'9'.repeat(300)}`);
    expect(longId.statusCode).toBe(200);
    const missing = await server.inject('/a/b/c');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe(2500);
  });

  it('answers health and readiness', async () => {
    const server = app();
    expect((await server.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await server.inject('/readyz')).statusCode).toBe(200);
    const notReady = createHttpServer({ logger: createLogger('t', 'silent'), ready: async () => { throw new Error('db down'); } });
    const res = await notReady.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not_ready', reason: 'db down' });
  });
});
