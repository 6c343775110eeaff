/** PostgreSQL SQLSTATE codes the platform branches on. */
export const SqlState = {
  UniqueViolation: '23505',
  ForeignKeyViolation: '23503',
  SerializationFailure: '40001',
  DeadlockDetected: '40P01',
  UndefinedTable: '42P01',
  DuplicateDatabase: '42P04',
} as const;

export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Errors of the connection rather than of the statement: lost (the server shut down or restarted,
 * the socket reset) or refused (the server starting, not listening). The same statement may
 * succeed once the pool has reconnected. Not the pool's own end (CONNECTION_ENDED/DESTROYED: the
 * process is closing it).
 */
const CONNECTION_ERRORS = new Set(['CONNECTION_CLOSED', 'CONNECT_TIMEOUT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']); // admin shutdown, crash shutdown, cannot connect now

export function isConnectionError(err: unknown): boolean {
  const code = sqlState(err);
  if (code === undefined) return false;
  return CONNECTION_ERRORS.has(code) || SHUTDOWN_STATES.has(code) || code.startsWith('08');
}
