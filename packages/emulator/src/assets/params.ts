/**
 * Reading Graph API parameters. Meta takes the same parameter from the query string, a JSON body
 * or a form body (SDKs differ: request_code goes in the query, verify_code as a form, register as
 * JSON), so handlers read one merged record and narrow each field, answering 100 on a bad type.
 */
import type { FastifyRequest } from 'fastify';
import { invalidParameter, missingParameter } from '@switchboard/wire';

export type Params = Record<string, unknown>;

/** Query and body merged; the body wins. Never throws on odd bodies (arrays, strings). */
export function paramsOf(request: FastifyRequest): Params {
  const query = (request.query ?? {}) as Params;
  const body = request.body;
  const merged: Params = { ...query };
  if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(merged, body as Params);
  return merged;
}

/** A string (or number, as form and query values are loose) parameter, or undefined when absent. */
export function optionalString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw invalidParameter(`Param ${name} must be a string.`);
}

export function requiredString(params: Params, name: string): string {
  const value = optionalString(params, name);
  if (value === undefined || value.trim() === '') throw missingParameter(name);
  return value;
}

export function optionalBoolean(params: Params, name: string): boolean | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw invalidParameter(`Param ${name} must be a boolean.`);
}

/**
 * A list parameter as Graph clients send lists: a JSON array, a JSON-ish string ("['MANAGE']",
 * '["a","b"]') or a comma list ("a,b").
 */
export function optionalList(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) throw invalidParameter(`Param ${name} must be a list of strings.`);
    return value.map((v) => v.trim()).filter((v) => v !== '');
  }
  if (typeof value !== 'string') throw invalidParameter(`Param ${name} must be a list of strings.`);
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  return inner
    .split(',')
    .map((v) => v.trim().replace(/^["']|["']$/g, '').trim())
    .filter((v) => v !== '');
}

/** An object parameter: a JSON object, or a string holding one (form bodies). */
export function optionalObject(params: Params, name: string): Params | undefined {
  let value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw invalidParameter(`Param ${name} must be a JSON object.`);
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw invalidParameter(`Param ${name} must be a JSON object.`);
  return value as Params;
}

/** The id in a route like /:id/…, typed. */
export function idParam(request: FastifyRequest): string {
  return (request.params as { id: string }).id;
}
