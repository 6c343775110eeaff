/**
 * The encryption key and operator key: from the environment in production; on a development
 * machine with the embedded database, generated once into SWITCHBOARD_DATA_DIR/secrets.json.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError } from '@switchboard/runtime';
import type { PlatformConfig } from '@switchboard/platform';

export interface Secrets {
  encryptionKey: Buffer;
  operatorKey: string;
}

export async function resolveSecrets(config: PlatformConfig): Promise<Secrets> {
  if (config.SWITCHBOARD_ENCRYPTION_KEY && config.SWITCHBOARD_OPERATOR_KEY) {
    return { encryptionKey: config.SWITCHBOARD_ENCRYPTION_KEY, operatorKey: config.SWITCHBOARD_OPERATOR_KEY };
  }
  if (config.DATABASE_URL) {
    const missing = ['SWITCHBOARD_ENCRYPTION_KEY', 'SWITCHBOARD_OPERATOR_KEY'].filter((k) => !config[k as keyof PlatformConfig]);
    throw new ConfigError(missing.map((k) => `${k} is required when DATABASE_URL is set (secrets are only generated for the embedded database)`));
  }
  const file = join(config.SWITCHBOARD_DATA_DIR, 'secrets.json');
  let stored: { encryption_key: string; operator_key: string } | undefined;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as typeof stored;
  } catch {
    stored = { encryption_key: randomBytes(32).toString('hex'), operator_key: `sbop_${randomBytes(24).toString('base64url')}` };
    await mkdir(config.SWITCHBOARD_DATA_DIR, { recursive: true });
    await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return {
    encryptionKey: config.SWITCHBOARD_ENCRYPTION_KEY ?? Buffer.from(stored!.encryption_key, 'hex'),
    operatorKey: config.SWITCHBOARD_OPERATOR_KEY ?? stored!.operator_key,
  };
}
