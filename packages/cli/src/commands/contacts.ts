/**
 * `switchboard contacts import --tenant T --file F.csv [--json] [--calling-code 81] [--proof TEXT]`:
 * imports contacts exactly as `POST /api/v1/contacts/import` does (same service: per-row error
 * report, bad rows skipped, re-import idempotent), talking to the database directly. A file ending
 * in .json is read as JSON, anything else as CSV. --json prints the report as JSON.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createLogger, systemClock } from '@switchboard/runtime';
import { GraphError } from '@switchboard/wire';
import { importContacts, readPlatformConfig } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'usage: switchboard contacts import --tenant TENANT_ID --file CONTACTS.csv|.json [--calling-code CC] [--proof TEXT] [--json]';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOWN_ERRORS = 20;

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError(USAGE);
  let values: { tenant?: string; file?: string; 'calling-code'?: string; proof?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        tenant: { type: 'string' },
        file: { type: 'string' },
        'calling-code': { type: 'string' },
        proof: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (!values.tenant || !values.file) throw new UsageError(`contacts import needs --tenant and --file\n${USAGE}`);
  if (!UUID.test(values.tenant)) throw new UsageError(`--tenant must be a tenant id (a UUID)\n${USAGE}`);

  let text: string;
  try {
    text = await readFile(values.file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${values.file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const isJson = values.file.toLowerCase().endsWith('.json');
  let body: unknown = text;
  if (isJson) {
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw new Error(`${values.file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }

  const config = readPlatformConfig(process.env);
  const db = await openDatabase(config, createLogger('contacts', 'warn'));
  try {
    const [tenant] = await db.sql`select 1 from tenants where id = ${values.tenant}`;
    if (!tenant) throw new Error(`no tenant ${values.tenant}`);
    const started = performance.now();
    const report = await importContacts(db.sql, {
      tenantId: values.tenant,
      format: isJson ? 'json' : 'csv',
      body,
      callingCode: values['calling-code'],
      source: 'import',
      actor: 'cli',
      proof: values.proof ?? `switchboard contacts import ${values.file}`,
      now: new Date(systemClock.now()),
    });
    const seconds = (performance.now() - started) / 1000;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      process.stdout.write(
        `${report.rows} rows in ${seconds.toFixed(1)} s: ${report.imported} imported, ${report.updated} updated, ` +
          `${report.unchanged} unchanged, ${report.error_count} with errors\n` +
          report.errors
            .slice(0, SHOWN_ERRORS)
            .map((e) => `  row ${e.row}: ${e.error}\n`)
            .join('') +
          (report.error_count > SHOWN_ERRORS ? `  … and ${report.error_count - SHOWN_ERRORS} more (--json lists them)\n` : ''),
      );
    }
  } catch (err) {
    if (err instanceof GraphError) throw new Error(`(#${err.code}) ${err.details ?? err.message}`, { cause: err });
    throw err;
  } finally {
    await db.close();
  }
}
