/**
 * A one-connection client for session-level advisory locks (leases). Not `sql.reserve()`: in
 * postgres.js 3.4.9 a reserved connection whose backend dies throws an uncatchable TypeError on its
 * next query (porsager/postgres#1208). This client reconnects instead, and a reconnect is a new
 * session without the old locks — so lock queries also return `pg_backend_pid()`, and a changed pid
 * tells the holder its leases are gone. It never idles out, since that would drop every lease.
 */
import postgres, { type Options } from 'postgres';
import type { Sql } from './connect.js';

export function leaseClient(sql: Sql, applicationName: string): Sql {
  const options = sql.options;
  const leaseOptions = {
    ...options,
    max: 1,
    idle_timeout: null,
    max_lifetime: null,
    fetch_types: false,
    connection: { ...options.connection, application_name: applicationName },
  };
  // Parsed options are accepted as they are (postgres.js's own LISTEN client is made this way).
  return postgres(leaseOptions as unknown as Options<Record<string, never>>);
}
