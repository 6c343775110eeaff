/**
 * Meta's OpenAPI description of the Business Messaging API (v23.0), compiled with ajv so tests can
 * check the emulator's answers against the response schemas Meta publishes.
 *
 * The document lives in the shared reference folder beside the clone (`../shared/reference/` from
 * the repo root; CI checks it out there). It is OpenAPI 3.1, whose schemas are JSON Schema 2020-12,
 * with OpenAPI extras ajv does not know (`example`, `discriminator`, `xml`): `strict: false` lets
 * ajv ignore those. The one OpenAPI 3.0 leftover, `nullable: true`, is rewritten as a `null` type.
 * Inline response schemas of paths are copied under `components.schemas` first, so their
 * `#/components/...` references resolve in the same document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

// ajv-formats is CommonJS: under NodeNext its default import is the module object, whose
// `default` is the plugin (at runtime the module object is the plugin itself as well).
const addFormats = addFormatsModule.default;

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const META_OPENAPI_PATH = resolve(REPO_ROOT, '../shared/reference/meta-business-messaging-openapi-v23.0.yaml');
const DOC_ID = 'meta-openapi.json';

type JsonObject = Record<string, unknown>;

export interface Conformance {
  ok: boolean;
  /** `instancePath: message` per violation, e.g. `/file_size: must be string`. */
  errors: string[];
}

export interface MetaOpenApi {
  /** The 200 response schema of an operation (path as Meta writes it, e.g. `/{Version}/{Media-ID}`), or undefined if Meta gives none. */
  responseSchema(method: string, path: string): ValidateFunction | undefined;
  /** A named schema of `components.schemas`. */
  component(name: string): ValidateFunction;
}

/** The compiled document, or undefined when the reference file is not beside the clone. */
export function loadMetaOpenApi(): MetaOpenApi | undefined {
  if (!existsSync(META_OPENAPI_PATH)) return undefined;
  const doc = parse(readFileSync(META_OPENAPI_PATH, 'utf8')) as { paths: Record<string, Record<string, JsonObject>>; components: { schemas: Record<string, unknown> } };
  rewriteNullable(doc);

  const responseKeys = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const schema = jsonSchemaOf(operation);
      if (schema === undefined) continue;
      const key = `__response_${method}_${path.replace(/[^A-Za-z0-9]+/g, '_')}`;
      doc.components.schemas[key] = schema;
      responseKeys.set(`${method.toUpperCase()} ${path}`, key);
    }
  }

  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, DOC_ID);
  const compiled = (name: string): ValidateFunction => {
    const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`);
    if (!validate) throw new Error(`Meta's OpenAPI has no schema ${name}`);
    return validate;
  };
  return {
    responseSchema(method, path) {
      const key = responseKeys.get(`${method.toUpperCase()} ${path}`);
      if (key === undefined && !(path in doc.paths)) throw new Error(`Meta's OpenAPI has no path ${path}`);
      return key === undefined ? undefined : compiled(key);
    },
    component: compiled,
  };
}

export function conformance(validate: ValidateFunction, body: unknown): Conformance {
  const ok = validate(body);
  return { ok, errors: ok ? [] : (validate.errors ?? []).map(describeError) };
}

function describeError(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${allowed ? ` (${allowed.join(', ')})` : ''}`;
}

function jsonSchemaOf(operation: JsonObject): unknown {
  const responses = operation.responses as Record<string, { content?: Record<string, { schema?: unknown }> }> | undefined;
  return responses?.['200']?.content?.['application/json']?.schema;
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema says it: `null` is one more allowed type. */
function rewriteNullable(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) rewriteNullable(item);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as JsonObject;
  if (schema.nullable === true) {
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as unknown[]), 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
    delete schema.nullable;
  }
  for (const value of Object.values(schema)) rewriteNullable(value);
}
