/**
 * Growth: the accept point measured again after the messages table has grown to each stored size
 * (rows made with SQL, lib/seed.ts). The first point is the fresh database's accept run.
 */
import type { BenchStack } from '../lib/bench-stack.js';
import type { LoadPhase } from '../lib/results.js';
import { settleTables, storeMessages, storedMessages } from '../lib/seed.js';
import type { Sizes } from '../sizes.js';
import { acceptPhase } from './accept.js';
import type { World } from './setup-world.js';

export async function growthPoint(stack: BenchStack, sizes: Sizes, world: World, stored: number, index: number, log: (line: string) => void): Promise<LoadPhase> {
  const { sql } = stack.pg;
  const have = await storedMessages(sql);
  if (stored > have) {
    const started = Date.now();
    await storeMessages(sql, { tenantId: world.acceptTenant.tenant_id, phoneNumberId: world.acceptNumbers[0]! }, stored - have, index * 20_000_000, log);
    await settleTables(sql);
    log(`  ${stored - have} rows stored, vacuumed and checkpointed in ${Math.round((Date.now() - started) / 1_000)} s`);
  }
  return acceptPhase(stack, sizes, {
    label: `accept, 1 number, ${formatCount(stored)} stored`,
    tenant: world.acceptTenant,
    numbers: world.acceptNumbers.slice(0, 1),
    recipientBlock: 10 + index,
  });
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${n / 1_000_000}M`;
  if (n >= 1_000) return `${n / 1_000}k`;
  return String(n);
}
