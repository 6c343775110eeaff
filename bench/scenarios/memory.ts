/**
 * Memory: the platform's resident set with many messages queued and not yet dispatchable (due in
 * a day). A fresh platform process; its RSS at rest; then the queue is filled with SQL, one send
 * through the API wakes the number's dispatch lane (it claims the due message and schedules
 * itself for the others' time), two dispatcher sweeps pass, and the RSS is read again, then once
 * more after an accept load with the queue still full.
 */
import type { BenchStack } from '../lib/bench-stack.js';
import { memoryOf } from '../lib/proc-stats.js';
import type { MemoryPhase } from '../lib/results.js';
import { queueMessages, settleTables } from '../lib/seed.js';
import type { Sizes } from '../sizes.js';
import { acceptPhase } from './accept.js';
import type { World } from './setup-world.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function memoryPhase(stack: BenchStack, sizes: Sizes, world: World, log: (line: string) => void): Promise<MemoryPhase> {
  const { sql } = stack.pg;
  await stack.restartPlatform();
  await sleep(6_000);
  const atStart = memoryOf(stack.platform.pid);
  await queueMessages(sql, { tenantId: world.memoryTenant.tenant_id, phoneNumberId: world.memoryNumber }, sizes.queued, 50_000_000, log);
  await settleTables(sql);
  const poke = await fetch(`${stack.platformUrl}/v23.0/${world.memoryNumber}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.memoryTenant.api_key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: '15550001111', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } }),
  });
  if (poke.status !== 200) throw new Error(`memory phase: the waking send was refused: ${poke.status} ${await poke.text()}`);
  // The dispatcher sweeps every 5 s: let two sweeps see the queue.
  await sleep(12_000);
  const queuedIdle = memoryOf(stack.platform.pid);
  const [due] = await sql<{ n: number }[]>`select count(*)::int as n from send_queue where phone_number_id = ${world.memoryNumber}`;
  log(`  ${due!.n} messages queued for the memory number; RSS ${queuedIdle.rssMb} MB`);
  const load = await acceptPhase(stack, sizes, {
    label: 'accept with the queue full',
    tenant: world.acceptTenant,
    numbers: world.acceptNumbers.slice(0, 1),
    recipientBlock: 40,
  });
  const afterLoad = memoryOf(stack.platform.pid);
  return {
    queued: due!.n,
    rssAtStartMb: atStart.rssMb,
    rssQueuedIdleMb: queuedIdle.rssMb,
    rssQueuedAfterLoadMb: afterLoad.rssMb,
    peakMb: afterLoad.peakMb,
    acceptDuringMemory: load.result,
  };
}
