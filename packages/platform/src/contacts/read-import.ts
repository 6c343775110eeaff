/**
 * Reads an import (CSV text or JSON) into contact rows, row by row: a bad row becomes an error
 * with its row number and never stops the others. Numbers are normalised to wa_ids with wire's
 * toWaId (as Meta normalises `to`), using `callingCode` for numbers written without one. When
 * the same wa_id appears twice, the later row wins and the earlier one is reported.
 *
 * Rows are numbered from 1, header excluded: CSV row 1 is the first line after the header, JSON
 * row 1 is the array's first element.
 *
 * CSV columns (header names are case-insensitive; only the number is required):
 *   wa_id | phone | phone_number | number | mobile | msisdn
 *   subscription | whatsapp_subscription | moe_wa_subscription | status
 *   name, proof
 * JSON: an array of objects with the same keys, or {"contacts": [...]}.
 */
import { toWaId } from '@switchboard/wire';
import { parseCsv } from './parse-csv.js';
import type { ContactRow } from './sql/upsert-contacts.js';
import { readSubscription, SUBSCRIPTION_HELP } from './subscription.js';

export interface RowError {
  row: number;
  error: string;
}

export interface ReadRows {
  rows: ContactRow[];
  errors: RowError[];
  total: number;
}

export const MAX_IMPORT_ROWS = 500_000;
const MAX_NAME = 256;
const MAX_PROOF = 1_000;

const NUMBER_KEYS = ['wa_id', 'phone', 'phone_number', 'number', 'mobile', 'msisdn'];
const SUBSCRIPTION_KEYS = ['subscription', 'whatsapp_subscription', 'moe_wa_subscription', 'status'];

interface RawRow {
  row: number;
  fields: Record<string, unknown>;
}

export class ImportFormatError extends Error {}

export function readCsvImport(text: string, callingCode?: string): ReadRows {
  const records = parseCsv(text);
  const header = records.shift();
  if (!header) throw new ImportFormatError('The CSV is empty: give a header line (e.g. "phone,subscription") and one line per contact.');
  const columns = header.fields.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  if (!columns.some((c) => NUMBER_KEYS.includes(c))) {
    throw new ImportFormatError(`The CSV header has no number column (one of ${NUMBER_KEYS.join(', ')}); it has: ${columns.join(', ') || '(nothing)'}.`);
  }
  const raw = records.map((r, i): RawRow => {
    const fields: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      const value = r.fields[j];
      if (value !== undefined && fields[c] === undefined) fields[c] = value;
    });
    if (r.fields.length > columns.length) fields.__extra = r.fields.length - columns.length;
    return { row: i + 1, fields };
  });
  return readRows(raw, callingCode);
}

export function readJsonImport(body: unknown, callingCode?: string): ReadRows {
  const list = Array.isArray(body) ? body : (body as { contacts?: unknown } | null)?.contacts;
  if (!Array.isArray(list)) throw new ImportFormatError('Send a JSON array of contacts, or {"contacts": [...]}.');
  const raw = list.map((item, i): RawRow => ({
    row: i + 1,
    fields: item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : { __not_object: true },
  }));
  return readRows(raw, callingCode);
}

function readRows(raw: RawRow[], callingCode: string | undefined): ReadRows {
  if (raw.length > MAX_IMPORT_ROWS) throw new ImportFormatError(`An import takes at most ${MAX_IMPORT_ROWS} rows; this one has ${raw.length}. Split it.`);
  const errors: RowError[] = [];
  const byWaId = new Map<string, ContactRow>();
  for (const { row, fields } of raw) {
    const result = readRow(row, fields, callingCode);
    if (typeof result === 'string') {
      errors.push({ row, error: result });
      continue;
    }
    const earlier = byWaId.get(result.waId);
    if (earlier) errors.push({ row: earlier.row, error: `Superseded by row ${row}, which has the same number (${result.waId}).` });
    byWaId.set(result.waId, result);
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows: [...byWaId.values()], errors, total: raw.length };
}

function readRow(row: number, fields: Record<string, unknown>, callingCode: string | undefined): ContactRow | string {
  if (fields.__not_object) return 'Each contact must be a JSON object.';
  if (typeof fields.__extra === 'number') return `The line has ${fields.__extra} more field(s) than the header (a comma inside a value needs quotes).`;
  const numberKey = NUMBER_KEYS.find((k) => fields[k] !== undefined && fields[k] !== '');
  const number = numberKey === undefined ? undefined : fields[numberKey];
  if (number === undefined) return `No phone number (give one of ${NUMBER_KEYS.join(', ')}).`;
  if (typeof number !== 'string' && typeof number !== 'number') return `${numberKey} must be a string.`;
  const waId = toWaId(String(number), callingCode);
  if (!waId) return `${numberKey} "${String(number).slice(0, 40)}" is not a phone number${callingCode ? '' : ' (write it with its country code, e.g. +81…)'}.`;

  const subscriptionKey = SUBSCRIPTION_KEYS.find((k) => fields[k] !== undefined);
  const subscription = readSubscription(subscriptionKey === undefined ? undefined : fields[subscriptionKey]);
  if (subscription.kind === 'invalid') return `${subscriptionKey}: ${SUBSCRIPTION_HELP}; got ${JSON.stringify(fields[subscriptionKey!]).slice(0, 40)}.`;

  const name = text(fields.name, MAX_NAME, 'name');
  if (name instanceof Error) return name.message;
  const proof = text(fields.proof, MAX_PROOF, 'proof');
  if (proof instanceof Error) return proof.message;
  return { row, waId, subscription: subscription.kind === 'set' ? subscription.value : undefined, name, proof };
}

function text(value: unknown, max: number, key: string): string | null | Error {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return new Error(`${key} must be a string.`);
  const trimmed = value.trim();
  if (trimmed.length > max) return new Error(`${key} is longer than ${max} characters.`);
  return trimmed === '' ? null : trimmed;
}
