/**
 * Errors of a PostgreSQL connection rather than of a statement: lost (the server shut down or
 * restarted, the socket reset) or refused (the server starting, not listening). The same statement
 * may succeed once the pool has reconnected. Not a pool's own end (postgres.js's CONNECTION_ENDED
 * and CONNECTION_DESTROYED: the process is closing it).
 */
const CONNECTION_ERRORS = new Set(['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']); // admin shutdown, crash shutdown, cannot connect now

export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return false;
  return CONNECTION_ERRORS.has(code) || SHUTDOWN_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}
