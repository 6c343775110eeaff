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
