/**
 * One contact's subscription change, with its audit row, inside the caller's transaction: the
 * inbound keyword path and Meta's user_preferences webhook (both in the inbound processor's
 * transaction) and the single-contact API call. The contact row is locked while the change is
 * decided, so concurrent changes are applied one after the other and each audit row records the
 * value it really replaced.
 *
 * `at` is when the change happened (the user's message, Meta's timestamp); a change older than
 * the contact's last change is not applied ('stale'), so a late webhook cannot undo a newer STOP
 * or START.
 */
import type { TransactionSql } from 'postgres';
import type { ContactSource, Subscription } from './subscription.js';

export interface SubscriptionChange {
  tenantId: string;
  waId: string;
  subscription: Subscription;
  /** Set only when given (undefined leaves the stored name). */
  name?: string | undefined;
  source: ContactSource;
  actor: string;
  proof: string | null;
  at: Date;
  now: Date;
}

export type ChangeOutcome = 'created' | 'updated' | 'unchanged' | 'stale';

export async function setSubscription(tx: TransactionSql, change: SubscriptionChange): Promise<ChangeOutcome> {
  const { tenantId, waId, subscription, at, now } = change;
  const [created] = await tx`
    insert into contacts (tenant_id, wa_id, subscription, name, subscription_changed_at, created_at, updated_at)
    values (${tenantId}, ${waId}, ${subscription}, ${change.name ?? null}, ${subscription === null ? null : at}, ${now}, ${now})
    on conflict (tenant_id, wa_id) do nothing
    returning 1`;
  if (created) {
    if (subscription !== null) await audit(tx, change, null);
    return 'created';
  }
  const [current] = await tx<{ subscription: boolean | null; name: string | null; changed_at: Date | null }[]>`
    select subscription, name, subscription_changed_at as changed_at from contacts
    where tenant_id = ${tenantId} and wa_id = ${waId} for update`;
  const statusChanges = current!.subscription !== subscription;
  const nameChanges = change.name !== undefined && change.name !== current!.name;
  if (statusChanges && current!.changed_at && at < current!.changed_at) return 'stale';
  if (!statusChanges && !nameChanges) return 'unchanged';
  await tx`
    update contacts set
      subscription = ${subscription},
      subscription_changed_at = ${statusChanges ? at : current!.changed_at},
      name = ${nameChanges ? change.name! : current!.name},
      updated_at = ${now}
    where tenant_id = ${tenantId} and wa_id = ${waId}`;
  if (statusChanges) await audit(tx, change, current!.subscription);
  return 'updated';
}

async function audit(tx: TransactionSql, change: SubscriptionChange, from: Subscription): Promise<void> {
  await tx`
    insert into contact_events (tenant_id, wa_id, from_subscription, to_subscription, source, actor, proof, at)
    values (${change.tenantId}, ${change.waId}, ${from}, ${change.subscription}, ${change.source}, ${change.actor}, ${change.proof}, ${change.at})`;
}
