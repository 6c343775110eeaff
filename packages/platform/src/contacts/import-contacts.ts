/**
 * Importing contacts (CSV or JSON): the one service behind `POST /api/v1/contacts/import`, the
 * batch update call and `switchboard contacts import`. Bad rows are reported and skipped; good
 * rows are written in one transaction (sql/upsert-contacts.ts); importing the same data again
 * reports every row unchanged. The error list is capped (MAX_REPORTED_ERRORS) so that a file of
 * nothing but bad rows does not turn into a response of hundreds of megabytes; error_count has
 * the total.
 *
 * @example
 *   const report = await importContacts(sql, { tenantId, format: 'csv', body: 'phone,subscription\n+81 90-1234-5678,TRUE\n',
 *     source: 'import', actor: 'cli', proof: 'signup form export', now: new Date() });
 *   // { imported: 1, updated: 0, unchanged: 0, error_count: 0, errors: [] }
 */
import { invalidParameter } from '@switchboard/wire';
import type { Sql } from '../db/connect.js';
import { ImportFormatError, readCsvImport, readJsonImport, type ReadRows, type RowError } from './read-import.js';
import { upsertContacts, type RowOutcome } from './sql/upsert-contacts.js';
import type { ContactSource } from './subscription.js';

export const MAX_REPORTED_ERRORS = 10_000;

export interface ImportInput {
  tenantId: string;
  format: 'csv' | 'json';
  /** CSV text, or parsed JSON. */
  body: unknown;
  /** Country calling code for numbers written without one ("81"). */
  callingCode?: string | undefined;
  source: ContactSource;
  actor: string;
  proof: string | null;
  now: Date;
  /** Also list every applied row's outcome (the batch call). */
  withResults?: boolean;
}

export interface ImportReport {
  rows: number;
  imported: number;
  updated: number;
  unchanged: number;
  error_count: number;
  errors: RowError[];
  results?: Array<{ row: number; wa_id: string; outcome: RowOutcome }>;
}

export async function importContacts(sql: Sql, input: ImportInput): Promise<ImportReport> {
  if (input.callingCode !== undefined && !/^\d{1,4}$/.test(input.callingCode)) {
    throw invalidParameter('Param calling_code must be a country calling code: 1 to 4 digits, e.g. 81.');
  }
  const read = readInput(input);
  const result = await upsertContacts(
    sql,
    read.rows,
    { tenantId: input.tenantId, source: input.source, actor: input.actor, proof: input.proof, now: input.now },
    input.withResults === true,
  );
  return {
    rows: read.total,
    imported: result.imported,
    updated: result.updated,
    unchanged: result.unchanged,
    error_count: read.errors.length,
    errors: read.errors.slice(0, MAX_REPORTED_ERRORS),
    ...(result.outcomes ? { results: result.outcomes.map((o) => ({ row: o.row, wa_id: o.waId, outcome: o.outcome })) } : {}),
  };
}

function readInput(input: ImportInput): ReadRows {
  try {
    if (input.format === 'json') return readJsonImport(input.body, input.callingCode);
    if (typeof input.body !== 'string') throw new ImportFormatError('Send the CSV as the request body (Content-Type: text/csv).');
    return readCsvImport(input.body, input.callingCode);
  } catch (err) {
    if (err instanceof ImportFormatError) throw invalidParameter(err.message);
    throw err;
  }
}
