/** `switchboard tenants create --name X [--json]`: creates a tenant; prints its API key and webhook secret once. */
import { parseArgs } from 'node:util';
import { createLogger } from '@switchboard/runtime';
import { createTenant, readPlatformConfig, SecretBox } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { resolveSecrets } from '../secrets.js';
import { UsageError } from '../usage-error.js';

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') throw new UsageError('usage: switchboard tenants create --name NAME [--json]');
  const { values } = parseArgs({ args: rest, options: { name: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const name = values.name?.trim();
  if (!name || name.length > 200) throw new UsageError('tenants create needs --name (1 to 200 characters)');
  const config = readPlatformConfig(process.env);
  const secrets = await resolveSecrets(config);
  const db = await openDatabase(config, createLogger('tenants', 'warn'));
  try {
    const tenant = await createTenant(db.sql, new SecretBox(secrets.encryptionKey), name);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ tenant_id: tenant.tenant_id, api_key: tenant.api_key, webhook_secret: tenant.webhook_secret })}\n`);
    } else {
      process.stdout.write(
        `tenant ${tenant.tenant_id} (${tenant.name})\n  api key:        ${tenant.api_key}\n  webhook secret: ${tenant.webhook_secret}\n` +
          'Both are shown only now; store them.\n',
      );
    }
  } finally {
    await db.close();
  }
}
