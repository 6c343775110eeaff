/** Starts the platform's HTTP server on a database that is already open and migrated. */
import type { Logger } from '@switchboard/runtime';
import { createPlatform, SecretBox, type Platform, type PlatformConfig } from '@switchboard/platform';
import type { Database } from './database.js';
import { resolveSecrets } from './secrets.js';

export interface RunningPlatform {
  platform: Platform;
  url: string;
  operatorKey: string;
  box: SecretBox;
}

export async function startPlatform(config: PlatformConfig, db: Database, logger: Logger): Promise<RunningPlatform> {
  const secrets = await resolveSecrets(config);
  const box = new SecretBox(secrets.encryptionKey);
  const platform = createPlatform({
    sql: db.sql,
    logger,
    box,
    operatorKey: secrets.operatorKey,
    graph: { baseUrl: config.GRAPH_API_URL, version: config.GRAPH_API_VERSION },
    meta: { appId: config.META_APP_ID, appSecret: config.META_APP_SECRET, verifyToken: config.META_VERIFY_TOKEN },
    publicUrl: config.PUBLIC_URL,
    webhookAllowedNetworks: config.SWITCHBOARD_WEBHOOK_ALLOWED_NETWORKS,
    retention: {
      metaWebhookDays: config.SWITCHBOARD_RETENTION_META_WEBHOOK_DAYS,
      tenantWebhookDays: config.SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS,
      messageContentDays: config.SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS,
    },
    unknownOutcomeGraceMs: config.SWITCHBOARD_UNKNOWN_OUTCOME_GRACE_SECONDS * 1_000,
  });
  const url = await platform.listen(config.PORT, config.HOST);
  return { platform, url, operatorKey: secrets.operatorKey, box };
}
