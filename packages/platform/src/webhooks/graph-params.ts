/**
 * Graph API parameters as Meta reads them: the same name from the query string, a JSON body or a
 * form body (the body wins), each narrowed with code 100 on a wrong type.
 */
import type { FastifyRequest } from 'fastify';
import { invalidParameter } from '@switchboard/wire';

export type Params = Record<string, unknown>;

export function paramsOf(request: FastifyRequest): Params {
  const merged: Params = { ...((request.query ?? {}) as Params) };
  delete merged.access_token;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) Object.assign(merged, body as Params);
  return merged;
}

export function optionalString(params: Params, name: string, label = name): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw invalidParameter(`Param ${label} must be a string.`);
}

/** An object parameter: a JSON object, or a string holding one (form bodies). */
export function objectParam(value: unknown, name: string): Params {
  let parsed = value;
  if (typeof parsed === 'string') {
    try {
      parsed = JSON.parse(parsed);
    } catch {
      throw invalidParameter(`Param ${name} must be a JSON object.`);
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidParameter(`Param ${name} must be a JSON object.`);
  return parsed as Params;
}
