import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiTest, type AnswerJson, type ApiTest } from './test-support.js';

describe('/api/v1 OpenAPI description and docs page', () => {
  let t: ApiTest;
  beforeAll(async () => {
    t = await startApiTest();
  });
  afterAll(async () => t.close());

  it('describes the /api/v1 routes and only those', async () => {
    const res = await t.platform.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    const doc = JSON.parse(res.body) as { openapi: string; paths: Record<string, Record<string, AnswerJson>> };
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.keys(doc.paths);
    for (const path of paths) expect(path.startsWith('/api/v1/'), path).toBe(true);
    expect(paths).not.toContain('/api/v1/openapi.json');
    expect(paths.some((p) => p.startsWith('/api/v1/docs'))).toBe(false);
    for (const expected of [
      '/api/v1/tenants',
      '/api/v1/tenants/{id}',
      '/api/v1/tenants/{id}/webhook-secret:rotate',
      '/api/v1/keys',
      '/api/v1/keys/{id}',
      '/api/v1/wabas',
      '/api/v1/wabas/{id}',
      '/api/v1/wabas/{id}:sync',
      '/api/v1/phone-numbers',
      '/api/v1/phone-numbers/{id}',
      '/api/v1/messages',
      '/api/v1/messages/{wamid}',
      '/api/v1/inbound-messages',
      '/api/v1/conversations',
    ]) {
      expect(paths, expected).toContain(expected);
    }
    // Every operation says what it is and what it answers.
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.tags?.length, `${method} ${path} tags`).toBeGreaterThan(0);
        expect(typeof op.summary, `${method} ${path} summary`).toBe('string');
        expect(op.responses?.['200'], `${method} ${path} 200`).toBeDefined();
      }
    }
    // OpenAPI 3.1 schemas are JSON Schema 2020-12: each must be a valid one, and every {param} of a
    // path must be declared as a required path parameter.
    const ajv = new Ajv2020({ strict: false });
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const schemas = [
          op.requestBody?.content?.['application/json']?.schema,
          ...Object.values(op.responses ?? {}).map((r: AnswerJson) => r.content?.['application/json']?.schema),
          ...(op.parameters ?? []).map((p: AnswerJson) => p.schema),
        ].filter(Boolean);
        for (const schema of schemas) expect(ajv.validateSchema(schema), `${method} ${path}: ${ajv.errorsText()}`).toBe(true);
        for (const [, name] of path.matchAll(/\{([^}]+)\}/g)) {
          expect(op.parameters, `${method} ${path} {${name}}`).toContainEqual(expect.objectContaining({ in: 'path', name, required: true }));
        }
      }
    }
    expect(doc.paths['/api/v1/wabas']!.post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['tenant_id', 'waba_id', 'access_token']),
    );
  });

  it('serves the interactive page and its assets from the package', async () => {
    const page = await t.platform.app.inject('/api/v1/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\//);
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/https?:|upgrade-insecure-requests/);
    const bundle = await t.platform.app.inject('/api/v1/docs/static/swagger-ui-bundle.js');
    expect(bundle.statusCode).toBe(200);
    const spec = await t.platform.app.inject('/api/v1/docs/json');
    expect(Object.keys(JSON.parse(spec.body).paths)).toContain('/api/v1/tenants');
  });
});
