/**
 * Rows made with SQL rather than through the API, for the growth and memory phases: stored
 * history (delivered and read messages, each with Meta's id, so both unique random-key indexes
 * are as full as in a real table) and queued work not due for a day. Inserted in chunks, each its
 * own transaction, then vacuumed, analysed and checkpointed, so the measured phase that follows
 * pays neither for the bulk load's dirty pages nor for an autovacuum it triggered.
 */
import type { Sql } from './postgres.js';

const CHUNK = 500_000;
const TEMPLATE_BODY = JSON.stringify({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to: '',
  type: 'template',
  template: {
    name: 'order_confirmation',
    language: { code: 'en_US' },
    components: [{ type: 'body', parameters: [{ type: 'text', text: 'Stored' }, { type: 'text', text: 'S-1' }] }],
  },
});

export interface SeedTarget {
  tenantId: string;
  phoneNumberId: string;
}

/** Stored history: `count` more messages, status read, sent long ago. Recipients from `firstRecipient`. */
export async function storeMessages(sql: Sql, target: SeedTarget, count: number, firstRecipient: number, log: (line: string) => void): Promise<void> {
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    const from = firstRecipient + done;
    await sql`
      insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, status, meta_wamid, attempts, created_at, updated_at)
      select 'wamid.HBgL' || md5(random()::text || g::text), ${target.tenantId}::uuid, ${target.phoneNumberId}, r.to, 'template',
        jsonb_set(${TEMPLATE_BODY}::text::jsonb, '{to}', to_jsonb(r.to)), 'read', 'wamid.HBgM' || md5(random()::text || g::text), 1,
        now() - interval '1 day', now() - interval '1 day'
      from generate_series(1, ${n}::int) as g, lateral (select ('1' || (3000000000 + ${from}::bigint + g))::text as to) as r`;
    log(`  stored ${done + n} / ${count}`);
  }
}

/** Queued work not dispatchable for a day: `count` accepted messages and their send_queue rows. */
export async function queueMessages(sql: Sql, target: SeedTarget, count: number, firstRecipient: number, log: (line: string) => void): Promise<void> {
  const availableAt = new Date(Date.now() + 24 * 3_600_000);
  for (let done = 0; done < count; done += CHUNK) {
    const n = Math.min(CHUNK, count - done);
    const from = firstRecipient + done;
    await sql`
      with stored as (
        insert into messages (wamid, tenant_id, phone_number_id, recipient, type, body, created_at, updated_at)
        select 'wamid.HBgL' || md5(random()::text || g::text), ${target.tenantId}::uuid, ${target.phoneNumberId}, r.to, 'template',
          jsonb_set(${TEMPLATE_BODY}::text::jsonb, '{to}', to_jsonb(r.to)), now(), now()
        from generate_series(1, ${n}::int) as g, lateral (select ('1' || (3000000000 + ${from}::bigint + g))::text as to) as r
        returning id, phone_number_id, recipient
      )
      insert into send_queue (message_id, phone_number_id, recipient, available_at)
      select id, phone_number_id, recipient, ${availableAt} from stored`;
    log(`  queued ${done + n} / ${count}`);
  }
}

/** What autovacuum and the checkpointer would do eventually, done now, before measuring. */
export async function settleTables(sql: Sql): Promise<void> {
  await sql.unsafe('vacuum (analyze) messages');
  await sql.unsafe('vacuum (analyze) send_queue');
  await sql.unsafe('checkpoint');
}

export async function storedMessages(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from messages`;
  return row!.n;
}
