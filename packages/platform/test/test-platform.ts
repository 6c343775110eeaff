/**
 * The platform as every test builds it: on a test database, with the shared clock, a fresh
 * encryption key and operator key, loopback allowed for tenants' webhook URLs, logs silent unless
 * TEST_LOG_LEVEL says otherwise.
 */
import { randomBytes } from 'node:crypto';
import { createLogger, type VirtualClock } from '@switchboard/runtime';
import { SecretBox } from '../src/crypto/secret-box.js';
import { createPlatform, type Platform, type PlatformOptions } from '../src/server.js';
import { LOOPBACK_NETWORKS } from '../src/webhooks/tenant-url-guard.js';
import type { TestDatabase } from './test-db.js';

export interface TestPlatform {
  platform: Platform;
  operatorKey: string;
  box: SecretBox;
}

export function createTestPlatform(
  db: TestDatabase,
  clock: VirtualClock,
  options: Pick<PlatformOptions, 'graph' | 'meta' | 'workers'>,
): TestPlatform {
  const operatorKey = `op_${randomBytes(8).toString('hex')}`;
  const box = new SecretBox(randomBytes(32));
  const platform = createPlatform({
    sql: db.sql,
    logger: createLogger('platform', process.env.TEST_LOG_LEVEL ?? 'silent'),
    box,
    operatorKey,
    clock,
    webhookAllowedNetworks: LOOPBACK_NETWORKS,
    ...options,
  });
  return { platform, operatorKey, box };
}
