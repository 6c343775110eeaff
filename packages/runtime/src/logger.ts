/** Structured JSON logs (pino); one logger per server, named after it. */
import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export function createLogger(name: string, level: string): Logger {
  return pino({
    name,
    level,
    redact: { paths: ['req.headers.authorization', '*.access_token', '*.api_key', '*.secret'], censor: '[redacted]' },
  });
}
