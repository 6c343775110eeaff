/**
 * `switchboard wabas attach --tenant T --waba W --token X [--json]`: attaches a WABA to a tenant
 * exactly as `POST /api/v1/wabas` does (same service: token verified with Meta, app subscribed,
 * numbers read, token stored encrypted), talking to the database and the Graph API directly.
 */
import { parseArgs } from 'node:util';
import { createLogger, systemClock } from '@switchboard/runtime';
import { GraphError } from '@switchboard/wire';
import { attachWaba, GraphClient, presentWaba, readPlatformConfig, SecretBox } from '@switchboard/platform';
import { openDatabase } from '../database.js';
import { resolveSecrets } from '../secrets.js';
import { UsageError } from '../usage-error.js';

const USAGE = 'usage: switchboard wabas attach --tenant TENANT_ID --waba WABA_ID --token META_ACCESS_TOKEN [--json]';

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'attach') throw new UsageError(USAGE);
  let values: { tenant?: string; waba?: string; token?: string; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { tenant: { type: 'string' }, waba: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean', default: false } },
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (!values.tenant || !values.waba || !values.token) throw new UsageError(`wabas attach needs --tenant, --waba and --token\n${USAGE}`);

  const config = readPlatformConfig(process.env);
  const secrets = await resolveSecrets(config);
  const db = await openDatabase(config, createLogger('wabas', 'warn'));
  const graph = new GraphClient(config.GRAPH_API_URL, config.GRAPH_API_VERSION);
  try {
    const waba = presentWaba(
      await attachWaba(
        { sql: db.sql, box: new SecretBox(secrets.encryptionKey), graph, clock: systemClock },
        { tenantId: values.tenant, wabaId: values.waba, accessToken: values.token },
      ),
    );
    if (values.json) {
      process.stdout.write(`${JSON.stringify(waba)}\n`);
    } else {
      const numbers = waba.phone_numbers.map((n) => `  ${n.id}  ${n.display_phone_number}  ${n.status ?? '-'}  ${n.quality_rating ?? '-'}`);
      process.stdout.write(
        `WABA ${waba.waba_id}${waba.name ? ` (${waba.name})` : ''} attached to tenant ${waba.tenant_id}\n` +
          (numbers.length > 0 ? `phone numbers:\n${numbers.join('\n')}\n` : 'no phone numbers yet\n'),
      );
    }
  } catch (err) {
    // Meta's shape is for HTTP; on the command line the code and details are what helps.
    if (err instanceof GraphError) throw new Error(`(#${err.code}) ${err.details ?? err.message}`, { cause: err });
    throw err;
  } finally {
    await graph.close();
    await db.close();
  }
}
