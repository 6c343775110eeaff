/**
 * The platform's environment, read and validated once at boot; nothing else reads process.env.
 * Every problem is reported at once, naming the variable.
 */
import { parsers, readConfig } from '@switchboard/runtime';
import { DEFAULT_RETENTION, MIN_META_WEBHOOK_DAYS } from './retention/prune.js';
import { MIN_MESSAGE_CONTENT_DAYS } from './retention/redact.js';
import { parseNetwork } from './webhooks/tenant-url-guard.js';

function daysAtLeast(min: number): (raw: string) => number {
  return (raw) => {
    const days = parsers.positiveInt(raw);
    if (days < min) throw new Error(`expected a number of days of at least ${min}`);
    return days;
  };
}

/** A comma-separated list of CIDR networks ("" for none). */
function networks(raw: string): string[] {
  const list = raw.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const n of list) parseNetwork(n);
  return list;
}

export const platformSpec = {
  PORT: { parse: parsers.port, default: '3000', description: 'Port the platform listens on.' },
  HOST: { parse: parsers.string, default: '127.0.0.1', description: 'Address the platform binds to (0.0.0.0 to listen on all interfaces).' },
  DATABASE_URL: {
    parse: parsers.postgresUrl,
    optional: true,
    description: 'PostgreSQL to use. Unset: an embedded PostgreSQL is started with its data under SWITCHBOARD_DATA_DIR.',
  },
  DATABASE_POOL_SIZE: { parse: parsers.positiveInt, default: '20', description: 'Connections in the platform’s PostgreSQL pool (per worker process).' },
  SWITCHBOARD_WORKERS: {
    parse: parsers.positiveInt,
    default: '1',
    description: '`switchboard serve` processes sharing the port (node:cluster; a crashed one is restarted). For machines with cores to spare beyond PostgreSQL’s: on the 2-core benchmark machine one process was as fast as two (docs/benchmarks.md).',
  },
  SWITCHBOARD_DATA_DIR: { parse: parsers.string, default: '.switchboard', description: 'Directory for the embedded PostgreSQL, generated secrets and demo.json.' },
  SWITCHBOARD_PG_PORT: { parse: parsers.port, default: '54329', description: 'Port of the embedded PostgreSQL (loopback only).' },
  SWITCHBOARD_ENCRYPTION_KEY: {
    parse: parsers.key32,
    optional: true,
    description: 'Key (32 bytes, hex or base64) encrypting Meta tokens and webhook secrets at rest. Required with DATABASE_URL; generated into the data directory otherwise.',
  },
  SWITCHBOARD_OPERATOR_KEY: {
    parse: parsers.string,
    optional: true,
    description: 'Bearer key of the operator (admin) API. Required with DATABASE_URL; generated into the data directory otherwise.',
  },
  GRAPH_API_URL: { parse: parsers.httpUrl, default: 'https://graph.facebook.com', description: "Base URL of Meta's Graph API (the emulator's URL in development)." },
  GRAPH_API_VERSION: { parse: parsers.string, default: 'v23.0', description: 'Graph API version the platform calls.' },
  META_APP_ID: { parse: parsers.string, optional: true, description: "Meta app id (the BSP's app)." },
  META_APP_SECRET: { parse: parsers.string, optional: true, description: 'Meta app secret: verifies X-Hub-Signature-256 on webhooks from Meta.' },
  META_VERIFY_TOKEN: { parse: parsers.string, optional: true, description: 'Verify token answered in the GET /webhooks/meta handshake.' },
  PUBLIC_URL: { parse: parsers.httpUrl, optional: true, description: 'URL at which Meta reaches this platform (default http://HOST:PORT).' },
  SWITCHBOARD_UNKNOWN_OUTCOME_GRACE_SECONDS: {
    parse: parsers.positiveInt,
    default: '60',
    description: "Seconds a send whose outcome is unknown (timeout, crash) waits for Meta's status before it is sent again.",
  },
  SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS: {
    parse: networks,
    default: '',
    description:
      "Networks (comma-separated CIDRs) the platform may call tenants' webhook URLs in although they are not public, and over plain http: otherwise loopback, private, link-local and other reserved addresses are refused, after DNS, and public ones are reached over https only (packages/platform/src/webhooks/README.md). `switchboard dev` allows loopback.",
  },
  SWITCHBOARD_RETENTION_META_WEBHOOK_DAYS: {
    parse: daysAtLeast(MIN_META_WEBHOOK_DAYS),
    default: String(DEFAULT_RETENTION.metaWebhookDays),
    description: `Days Meta's webhooks are kept once processed (at least ${MIN_META_WEBHOOK_DAYS}: Meta retries one for up to 7 days, and a retry is recognised by the stored copy).`,
  },
  SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS: {
    parse: daysAtLeast(1),
    default: String(DEFAULT_RETENTION.tenantWebhookDays),
    description: 'Days tenant webhook events are kept once delivered or dead-lettered (inspection, replay), and the delivery log. Messages are kept (their content: SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS).',
  },
  SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS: {
    parse: daysAtLeast(MIN_MESSAGE_CONTENT_DAYS),
    optional: true,
    description: `Days the content of messages is kept (at least ${MIN_MESSAGE_CONTENT_DAYS}: Meta's longest time to live is 30 days). Then text, media, template parameters and the rest of what was written are removed from sent and received messages, keeping who, when, type, template name and statuses (history, billing), and webhook copies already delivered are kept no longer either (undelivered tenant events keep theirs until delivered or dead-lettered). Unset: content is kept.`,
  },
  LOG_LEVEL: { parse: parsers.logLevel, default: 'info', description: 'pino log level (fatal … trace, silent).' },
};

export type PlatformConfig = ReturnType<typeof readPlatformConfig>;

export function readPlatformConfig(env: Record<string, string | undefined>) {
  return readConfig(platformSpec, env);
}
