/** The platform's PostgreSQL pool (postgres.js: pipelining and prepared statements by default). */
import postgres from 'postgres';

export type Sql = postgres.Sql;

export function connect(url: string, options: { max?: number; applicationName?: string } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 20,
    onnotice: () => undefined,
    connection: { application_name: options.applicationName ?? 'switchboard' },
    // Timestamps as JS Dates; bigint ids come back as strings unless a query casts them.
    types: {},
  });
}
