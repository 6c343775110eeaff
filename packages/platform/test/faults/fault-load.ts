/**
 * Load for the fault scenarios, and the count that follows it.
 *
 * sendLoad: `count` template sends over the world's numbers from `concurrency` clients, in
 * conversations of PER_CONVERSATION messages (one number, one recipient each), each sent by one
 * client in order, the next once the last was accepted (so the order is the tenant's); a client
 * retries what got no 200 (connection refused while the platform restarts, 5xx while PostgreSQL is
 * down) with the same Idempotency-Key, as a careful client does; only a 200 counts as accepted.
 * `faults` run once when that many messages have been accepted.
 *
 * settle + tally: wait (bounded) until nothing is queued and every accepted message's `read` has
 * reached the tenant, then count what reached Meta (the emulator's own record, by the tag each
 * message carries) and what reached the tenant, and which messages had an attempt whose outcome
 * was unknown (the only ones allowed to reach Meta twice), and which conversations reached Meta in
 * another order than they were sent.
 */
import { expect } from 'vitest';
import type { FaultWorld } from './fault-world.js';

/** Messages per scenario: fewer under CI (CI=true), where the suite runs after `npm test`. */
export const FAULT_COUNT = process.env.CI ? 200 : 1_000;
export const FAULT_CONCURRENCY = 16;
/** Consecutive messages sent to one recipient from one number: their order at Meta is checked. */
const PER_CONVERSATION = 4;
/** A tag's message number (`<prefix>-<n>`) and its conversation. */
const tagIndex = (tag: string) => Number(tag.slice(tag.lastIndexOf('-') + 1));
const conversationOf = (tag: string) => Math.floor(tagIndex(tag) / PER_CONVERSATION);

export interface Accepted {
  tag: string;
  wamid: string;
}

export interface LoadOptions {
  count: number;
  concurrency: number;
  prefix: string;
  faults?: Array<{ afterAccepted: number; run: () => Promise<void> }>;
  /** Told of every refusal (status and body), for diagnosis. */
  onRefused?: (text: string) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sendLoad(world: FaultWorld, options: LoadOptions): Promise<Accepted[]> {
  const accepted: Accepted[] = [];
  const pending = [...(options.faults ?? [])].sort((a, b) => a.afterAccepted - b.afterAccepted);
  const running: Array<Promise<void>> = [];
  let next = 0;
  const conversations = Math.ceil(options.count / PER_CONVERSATION);
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      for (let conversation = next++; conversation < conversations; conversation = next++) {
        for (let i = conversation * PER_CONVERSATION; i < Math.min(options.count, (conversation + 1) * PER_CONVERSATION); i++) {
          while (pending[0] && accepted.length >= pending[0].afterAccepted) running.push(pending.shift()!.run());
          const tag = `${options.prefix}-${i}`;
          const phoneNumberId = world.phoneNumberIds[conversation % world.phoneNumberIds.length]!;
          let lastRefusal = '';
          // Bounded: 600 tries 100 ms apart is a minute of refusals for one message.
          for (let tries = 0; ; tries++) {
            if (tries >= 600) throw new Error(`${tag} was never accepted: ${lastRefusal}`);
            const response = await fetch(`${world.platformUrl}/v23.0/${phoneNumberId}/messages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${world.apiKey}`, 'content-type': 'application/json', 'idempotency-key': tag },
              body: JSON.stringify({
                messaging_product: 'whatsapp',
                to: `1555${String(3_000_000 + conversation).padStart(7, '0')}`,
                type: 'template',
                template: {
                  name: 'order_confirmation',
                  language: { code: 'en_US' },
                  components: [{ type: 'body', parameters: [{ type: 'text', text: 'Faults' }, { type: 'text', text: tag }] }],
                },
              }),
            }).catch(() => undefined);
            if (response?.status === 200) {
              const body = (await response.json()) as { messages: Array<{ id: string }> };
              accepted.push({ tag, wamid: body.messages[0]!.id });
              break;
            }
            const text = response ? `${response.status} ${await response.text()}` : 'no answer';
            lastRefusal = text;
            options.onRefused?.(text);
            await sleep(100);
          }
        }
      }
    }),
  );
  // Faults still due (the load was shorter than planned) run now; all of them are awaited.
  for (const f of pending) running.push(f.run());
  await Promise.all(running);
  return accepted;
}

export interface Tally {
  accepted: number;
  /** Accepted messages that reached the emulator at least once. */
  delivered: number;
  /** Extra copies that reached the emulator (a message there twice counts 1). */
  duplicates: number;
  duplicatedTags: string[];
  /** Messages with an attempt whose outcome was unknown (timeout, crash): the only ones that may be duplicated. */
  unknownOutcome: Set<string>;
  /** Accepted messages that ended failed (Meta refused them for good). */
  failed: number;
  /** Distinct (message, status) pairs the tenant received, and status deliveries with repeats. */
  tenantStatuses: number;
  tenantDeliveries: number;
  /** Accepted messages with each status at the tenant (sent, delivered, read, failed). */
  tenantByStatus: Record<string, number>;
  /** Accepted messages whose `read` reached the tenant. */
  readByTenant: number;
  missing: string[];
  /** Conversations whose messages first reached Meta in another order than they were sent. */
  outOfOrder: number[];
  /** Their tags, in the order sent and in the order they first reached Meta. */
  outOfOrderTags: Array<{ sent: string[]; arrived: string[] }>;
}

function tagOf(payload: Record<string, unknown>): string | undefined {
  const template = payload.template as { components?: Array<{ parameters?: Array<{ text?: string }> }> } | undefined;
  return template?.components?.[0]?.parameters?.[1]?.text;
}

/**
 * Waits until every accepted message is read (or failed) at the tenant and nothing is left in
 * flight anywhere — the send queue, Meta's webhooks (the emulator's and the platform's inbound
 * table), the tenant webhook queue — twice in a row; bounded by `timeoutMs`.
 */
export async function settle(world: FaultWorld, accepted: Accepted[], timeoutMs = 240_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (Date.now() < until && quietChecks < 2) {
    const [row] = await world.sql<{ n: number }[]>`
      select ((select count(*) from send_queue)
        + (select count(*) from inbound_events where processed_at is null and attempts < 5)
        + (select count(*) from webhook_pending))::int as n`.catch(() => [{ n: -1 }]);
    const done = accepted.every((a) => {
      const seen = world.receiver.statuses.get(a.wamid);
      return seen?.has('read') || seen?.has('failed');
    });
    quietChecks = row!.n === 0 && done && world.emulator.ctx.webhooks.stats().pending === 0 ? quietChecks + 1 : 0;
    await sleep(500);
  }
}

export async function tally(world: FaultWorld, accepted: Accepted[]): Promise<Tally> {
  const copies = new Map<string, number>();
  // Each message's first arrival, in the order Meta got them.
  const arrived = new Map<number, string[]>();
  for (const m of world.emulator.ctx.state.messages.values()) {
    const tag = tagOf(m.payload);
    if (!tag) continue;
    copies.set(tag, (copies.get(tag) ?? 0) + 1);
    if (copies.get(tag) === 1) arrived.set(conversationOf(tag), [...(arrived.get(conversationOf(tag)) ?? []), tag]);
  }
  const tags = accepted.map((a) => a.tag);
  const sentOrder = new Map<number, string[]>();
  for (const tag of tags) sentOrder.set(conversationOf(tag), [...(sentOrder.get(conversationOf(tag)) ?? []), tag]);
  const outOfOrder = [...sentOrder]
    .filter(([c, order]) => (arrived.get(c) ?? []).join() !== order.filter((t) => copies.has(t)).sort((a, b) => tagIndex(a) - tagIndex(b)).join())
    .map(([c]) => c);
  const outOfOrderTags = outOfOrder.map((c) => ({ sent: sentOrder.get(c)!, arrived: arrived.get(c) ?? [] }));
  const unknownRows = await world.sql<{ tag: string }[]>`
    select distinct m.idempotency_key as tag from message_attempts a join messages m on m.id = a.message_id
    where a.outcome = 'unknown' and m.idempotency_key = any(${tags}::text[])`;
  const [failed] = await world.sql<{ n: number }[]>`
    select count(*)::int as n from messages where status = 'failed' and idempotency_key = any(${tags}::text[])`;
  const duplicatedTags = tags.filter((t) => (copies.get(t) ?? 0) > 1);
  let tenantStatuses = 0;
  for (const set of world.receiver.statuses.values()) tenantStatuses += set.size;
  const tenantByStatus: Record<string, number> = {};
  for (const a of accepted) for (const status of world.receiver.statuses.get(a.wamid) ?? []) tenantByStatus[status] = (tenantByStatus[status] ?? 0) + 1;
  const t: Tally = {
    accepted: accepted.length,
    delivered: tags.filter((t) => copies.has(t)).length,
    duplicates: duplicatedTags.reduce((sum, t) => sum + copies.get(t)! - 1, 0),
    duplicatedTags,
    unknownOutcome: new Set(unknownRows.map((r) => r.tag)),
    failed: failed!.n,
    tenantStatuses,
    tenantDeliveries: world.receiver.deliveries,
    tenantByStatus,
    readByTenant: accepted.filter((a) => world.receiver.statuses.get(a.wamid)?.has('read')).length,
    missing: tags.filter((t) => !copies.has(t)),
    outOfOrder,
    outOfOrderTags,
  };
  await explainFindings(world, t);
  return t;
}

/** One line per scenario: the counts the issue asks for. */
export function report(scenario: string, t: Tally): void {
  console.log(
    `[faults] ${scenario}: accepted ${t.accepted}, delivered to the emulator ${t.delivered}, duplicates ${t.duplicates} ` +
      `(${t.unknownOutcome.size} messages had an unknown outcome), failed ${t.failed}, ` +
      `statuses delivered to the tenant ${t.tenantStatuses} distinct (${Object.entries(t.tenantByStatus).map(([k, v]) => `${k} ${v}`).join(', ')}) ` +
      `/ ${t.tenantDeliveries} deliveries; conversations out of order at Meta ${t.outOfOrder.length}`,
  );
}

/** Zero lost; duplicates only for messages with an unknown outcome; every status reached the tenant; each conversation in order. */
export function expectNothingLost(t: Tally, options: { failedAllowed?: boolean } = {}): void {
  expect(t.missing).toEqual([]);
  expect(t.outOfOrder).toEqual([]);
  expect(t.delivered).toBe(t.accepted);
  expect(t.duplicatedTags.filter((tag) => !t.unknownOutcome.has(tag))).toEqual([]);
  if (!options.failedAllowed) expect(t.failed).toBe(0);
  expect(t.readByTenant).toBe(t.accepted - t.failed);
}

/**
 * Where the messages that never reached Meta, or reached it out of their conversation's order,
 * are: their rows in `messages` and `send_queue`, their attempts, and the platform's last warnings
 * and errors, printed by tally when there are any. A lost or reordered message is a finding; this
 * is what it takes to find its cause from a CI log.
 */
async function explainFindings(world: FaultWorld, t: Tally): Promise<void> {
  const reordered = t.outOfOrderTags.flatMap((c) => c.sent);
  const tags = [...t.missing, ...reordered];
  if (tags.length === 0) return;
  const rows = await world.sql`
    select m.id, m.idempotency_key as tag, m.phone_number_id, m.status, m.attempts, m.meta_wamid, m.error,
      q.available_at, q.attempts as queue_attempts, q.in_flight_since, q.held_reason, q.expires_at,
      (select json_agg(json_build_object('attempt', a.attempt, 'outcome', a.outcome, 'started_at', a.started_at, 'finished_at', a.finished_at) order by a.id)
       from message_attempts a where a.message_id = m.id) as attempts_made
    from messages m left join send_queue q on q.message_id = m.id
    where m.idempotency_key = any(${tags}::text[]) order by m.id`.catch((err: unknown) => [{ error: String(err) }]);
  const logged = world.platform().stdout.filter((line) => /"level":(40|50|60)/.test(line)).slice(-15);
  console.log(
    `[faults] FINDING: ${t.missing.length} messages never reached Meta, ${t.outOfOrder.length} conversations reached it out of order ` +
      `${JSON.stringify(t.outOfOrderTags)}:\n${JSON.stringify(rows, null, 1)}\nthe platform's last warnings and errors:\n${logged.join('\n')}`,
  );
}
