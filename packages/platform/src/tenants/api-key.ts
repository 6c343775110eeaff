/** API keys: "sb_" + 32 random bytes (base64url). Shown once; stored as a SHA-256 digest. */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'sb_';

export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function apiKeyDigest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** What listings show of a key: enough to tell keys apart, nothing to use. */
export function apiKeyHint(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}

/** A webhook signing secret for a tenant. */
export function newWebhookSecret(): string {
  return randomBytes(24).toString('base64url');
}
