/**
 * Where an event goes, resolved in SQL for a whole batch: the phone-number override, then the
 * WABA override, then the tenant default — overrides only for the fields that follow them (see
 * override-fields.ts). Used when events are created and again when they are replayed, so a replay
 * goes to the URL configured now.
 *
 * `source` is any relation with tenant_id, waba_id, phone_number_id and field columns; the result
 * has every source column plus `url` (null: no URL configured) and `subscribed` (false after
 * DELETE /{waba-id}/subscribed_apps).
 */
import type { ISql, PendingQuery, Row } from 'postgres';
import { OVERRIDE_FIELDS } from '../override-fields.js';

export function withUrls(sql: ISql, source: PendingQuery<Row[]>): PendingQuery<Row[]> {
  return sql`
    select s.*,
      case when s.field = any(${OVERRIDE_FIELDS as string[]}::text[]) or s.field like 'group\\_%'
        then coalesce(p.url, w.override_url, d.url) else d.url end as url,
      coalesce(w.subscribed, true) as subscribed
    from (${source}) s
    left join webhook_defaults d on d.tenant_id = s.tenant_id
    left join waba_webhook_subscriptions w on w.waba_id = s.waba_id and w.tenant_id = s.tenant_id
    left join phone_webhook_overrides p on p.phone_number_id = s.phone_number_id and p.tenant_id = s.tenant_id`;
}
