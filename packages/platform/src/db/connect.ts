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
    backoff: reconnectBackoff,
  });
}

/**
 * Seconds before a closed connection reconnects, after `retries` failed attempts. postgres.js's
 * default (3^n / 100 s, up to 20 s) counts failures across every connection made from these options
 * (the pool, its LISTEN connection, the lease clients): a 2 s PostgreSQL restart made dozens of
 * them, and the LISTEN connection came back 16 s after the server did, every NOTIFY meanwhile lost.
 * Doubling from 50 ms, capped at 1 s: a server back is seen within a second, and a server down is
 * tried about once a second per connection.
 */
export function reconnectBackoff(retries: number): number {
  return (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 1);
}
