/**
 * Checks a value against a TypeBox schema and fails the way the Graph API does: the first problem
 * becomes a GraphError whose `details` name the parameter in Meta's notation
 * (`interactive['action']['buttons'][0]['reply']['title']`).
 *
 * A small interpreter rather than a compiled validator (Ajv, TypeBox's compiler): those report
 * every error in JSON-Schema words and would need a second pass to reword them, while this walk
 * stops at the first problem and costs about a microsecond for a typical message.
 *
 * Codes: a missing required field is 131008 ("Required parameter is missing"); a wrong JSON type,
 * a length or count out of bounds, or a value outside an enumeration is 100 ("Invalid parameter");
 * a value of the right type that means nothing (range, pattern) is 131009 ("Parameter value is not
 * valid"). Properties a schema does not declare are ignored, as SDKs send extras Meta tolerates.
 */
import { Kind, type TSchema } from '@sinclair/typebox';
import { ErrorCode } from '../errors/catalogue.js';
import { GraphError } from '../errors/graph-error.js';

/** Extra schema options the walker understands. */
export interface CheckOptions {
  /** On a String or Union: a number, or a string holding one, is accepted (Meta's coordinates). */
  numeric?: boolean;
  /** With `pattern`: what the 131009 details say when the pattern does not match. */
  patternMessage?: string;
}

/** `text` + `body` → `text['body']`; the root's own keys stay bare (`to`). */
export function paramPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}['${key}']`;
}

export function requiredError(path: string): GraphError {
  return new GraphError(ErrorCode.RequiredParameterMissing, { details: `The parameter ${path} is required.` });
}

export function invalidError(details: string): GraphError {
  return new GraphError(ErrorCode.InvalidParameter, { details });
}

export function valueError(details: string): GraphError {
  return new GraphError(ErrorCode.ParameterValueInvalid, { details });
}

/** Throws the first problem of `value` against `schema`, reporting it at `path`. */
export function checkSchema(schema: TSchema, value: unknown, path: string): void {
  const problem = firstProblem(schema, value, path);
  if (problem) throw problem;
}

/** Length in characters as a person counts them (code points), cheap when clearly short. */
function charLength(text: string, limit: number): number {
  if (text.length <= limit) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function describeKind(schema: TSchema): string {
  switch (schema[Kind]) {
    case 'Object':
      return 'a JSON object';
    case 'Array':
      return 'an array';
    case 'Number':
    case 'Integer':
      return 'a number';
    case 'Boolean':
      return 'a boolean';
    default:
      return 'a string';
  }
}

function firstProblem(schema: TSchema, value: unknown, path: string): GraphError | undefined {
  switch (schema[Kind]) {
    case 'Object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return invalidError(`Param ${path} must be a JSON object.`);
      }
      const record = value as Record<string, unknown>;
      const properties = schema.properties as Record<string, TSchema>;
      const required = schema.required as string[] | undefined;
      if (required) {
        for (const key of required) {
          if (record[key] === undefined || record[key] === null) return requiredError(paramPath(path, key));
        }
      }
      for (const key in properties) {
        const child = record[key];
        if (child === undefined || child === null) continue;
        const problem = firstProblem(properties[key]!, child, paramPath(path, key));
        if (problem) return problem;
      }
      return undefined;
    }
    case 'String': {
      if ((schema as CheckOptions).numeric) return numericProblem(schema, value, path);
      if (typeof value !== 'string') return invalidError(`Param ${path} must be a string.`);
      const max = schema.maxLength as number | undefined;
      if (max !== undefined && charLength(value, max) > max) {
        return invalidError(`Param ${path} must be at most ${max} characters long.`);
      }
      const min = schema.minLength as number | undefined;
      if (min !== undefined && value.length < min) {
        return invalidError(`Param ${path} must be at least ${min} character${min === 1 ? '' : 's'} long.`);
      }
      const pattern = schema.pattern as string | undefined;
      if (pattern !== undefined && !patternOf(pattern).test(value)) {
        return valueError((schema as CheckOptions).patternMessage ?? `Param ${path} is not in a valid format.`);
      }
      return undefined;
    }
    case 'Number':
    case 'Integer':
      return numericProblem(schema, value, path);
    case 'Boolean':
      return typeof value === 'boolean' ? undefined : invalidError(`Param ${path} must be a boolean.`);
    case 'Array': {
      if (!Array.isArray(value)) return invalidError(`Param ${path} must be an array.`);
      const min = schema.minItems as number | undefined;
      if (min !== undefined && value.length < min) {
        return invalidError(`Param ${path} must have at least ${min} element${min === 1 ? '' : 's'}.`);
      }
      const max = schema.maxItems as number | undefined;
      if (max !== undefined && value.length > max) {
        return invalidError(`Param ${path} must have at most ${max} elements.`);
      }
      const items = schema.items as TSchema;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        if (item === undefined || item === null) return requiredError(paramPath(path, i));
        const problem = firstProblem(items, item, paramPath(path, i));
        if (problem) return problem;
      }
      return undefined;
    }
    case 'Literal':
      return value === schema.const ? undefined : invalidError(`Param ${path} must be ${JSON.stringify(schema.const)}.`);
    case 'Union': {
      if ((schema as CheckOptions).numeric) return numericProblem(schema, value, path);
      const members = schema.anyOf as TSchema[];
      if (members.every((m) => m[Kind] === 'Literal')) {
        if (members.some((m) => m.const === value)) return undefined;
        return invalidError(`Param ${path} must be one of {${members.map((m) => String(m.const)).join(', ')}}.`);
      }
      if (members.some((m) => firstProblem(m, value, path) === undefined)) return undefined;
      return invalidError(`Param ${path} must be ${members.map(describeKind).join(' or ')}.`);
    }
    default:
      return undefined;
  }
}

function numericProblem(schema: TSchema, value: unknown, path: string): GraphError | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return invalidError(`Param ${path} must be a number.`);
  if (schema[Kind] === 'Integer' && !Number.isInteger(n)) return invalidError(`Param ${path} must be an integer.`);
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    return valueError(`Param ${path} must be between ${min ?? '-∞'} and ${max ?? '∞'}.`);
  }
  return undefined;
}

const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    patterns.set(source, re);
  }
  return re;
}
