/** Creates a tenant with its first API key and its webhook secret; the only time both are shown. */
import type { Sql } from '../db/connect.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { apiKeyDigest, apiKeyHint, newApiKey, newWebhookSecret } from './api-key.js';

export interface CreatedTenant {
  tenant_id: string;
  name: string;
  api_key: string;
  webhook_secret: string;
}

export async function createTenant(sql: Sql, box: SecretBox, name: string): Promise<CreatedTenant> {
  const apiKey = newApiKey();
  const webhookSecret = newWebhookSecret();
  const tenantId = await sql.begin(async (tx) => {
    const [tenant] = await tx<{ id: string }[]>`
      insert into tenants (name, webhook_secret_enc) values (${name}, ${box.seal(webhookSecret)}) returning id`;
    await tx`insert into api_keys (tenant_id, prefix, digest) values (${tenant!.id}, ${apiKeyHint(apiKey)}, ${apiKeyDigest(apiKey)})`;
    return tenant!.id;
  });
  return { tenant_id: tenantId, name, api_key: apiKey, webhook_secret: webhookSecret };
}
