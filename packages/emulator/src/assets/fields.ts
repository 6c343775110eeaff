/**
 * The Graph API's `fields` parameter: "id,name,throughput{level},webhook_configuration{application}".
 * A node lists what it can show as lazy presenters; the caller gets exactly the fields asked for
 * (or the node's defaults), absent values are left out, and an unknown field is Meta's 100 error.
 */
import { ErrorCode, GraphError, invalidParameter } from '@switchboard/wire';

export interface FieldRequest {
  name: string;
  sub?: FieldRequest[];
}

/** Parses a fields expression; nested braces select sub-fields. */
export function parseFields(expression: string): FieldRequest[] {
  let pos = 0;
  const fail = (): never => {
    throw invalidParameter(`Syntax error in fields "${expression}" at character ${pos}.`);
  };
  const list = (depth: number): FieldRequest[] => {
    const out: FieldRequest[] = [];
    for (;;) {
      const match = /^\s*([A-Za-z0-9_.]+)\s*/.exec(expression.slice(pos));
      if (!match?.[1]) return fail();
      pos += match[0].length;
      const field: FieldRequest = { name: match[1] };
      if (expression[pos] === '{') {
        pos++;
        field.sub = list(depth + 1);
        if (expression[pos] !== '}') fail();
        pos++;
        while (expression[pos] === ' ') pos++;
      }
      out.push(field);
      if (expression[pos] === ',') {
        pos++;
        continue;
      }
      if (depth > 0 && expression[pos] === '}') return out;
      if (depth === 0 && pos === expression.length) return out;
      return fail();
    }
  };
  if (expression.trim() === '') return [];
  return list(0);
}

export type Presenters = Record<string, () => unknown>;

/**
 * Renders a node: `fields` from the request (string) or the defaults. `nodeType` names the node
 * in the error, as Meta does ("WhatsAppBusinessPhoneNumber").
 */
export function present(presenters: Presenters, fields: unknown, defaults: string[], nodeType: string): Record<string, unknown> {
  if (fields !== undefined && typeof fields !== 'string') throw invalidParameter('Param fields must be a comma-separated string.');
  const requested: FieldRequest[] = fields ? parseFields(fields) : defaults.map((name) => ({ name }));
  const out: Record<string, unknown> = {};
  for (const field of requested) {
    const presenter = presenters[field.name];
    if (!presenter) {
      throw new GraphError(ErrorCode.InvalidParameter, {
        message: `(#100) Tried accessing nonexisting field (${field.name}) on node type (${nodeType})`,
        details: `Field ${field.name} does not exist on ${nodeType}.`,
      });
    }
    const value = presenter();
    if (value === undefined) continue;
    out[field.name] = field.sub ? select(value, field.sub) : value;
  }
  // The Graph API always names the node it answers about, whatever the selection.
  if (presenters.id && !('id' in out)) out.id = presenters.id();
  return out;
}

/** Applies a sub-selection to an object or to each object of an array. */
function select(value: unknown, sub: FieldRequest[]): unknown {
  if (Array.isArray(value)) return value.map((item) => select(item, sub));
  if (!value || typeof value !== 'object') return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of sub) {
    const inner = source[field.name];
    if (inner === undefined) continue;
    out[field.name] = field.sub ? select(inner, field.sub) : inner;
  }
  return out;
}
