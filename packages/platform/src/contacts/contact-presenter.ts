/** What the API shows of a contact, its audit trail and a tenant's keywords. */
import type { Static } from '@sinclair/typebox';
import type { Contact, ContactDetail, Keywords } from './contact-schemas.js';
import type { ContactEventRecord, ContactRecord } from './contact-store.js';
import type { TenantKeywords } from './keyword-store.js';
import { presentSubscription } from './subscription.js';

export function presentContact(row: ContactRecord): Static<typeof Contact> {
  return {
    wa_id: row.wa_id,
    tenant_id: row.tenant_id,
    subscription: presentSubscription(row.subscription),
    name: row.name,
    subscription_changed_at: row.subscription_changed_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function presentContactDetail(row: ContactRecord, events: ContactEventRecord[]): Static<typeof ContactDetail> {
  return {
    ...presentContact(row),
    events: events.map((e) => ({
      id: e.id,
      from: presentSubscription(e.from_subscription),
      to: presentSubscription(e.to_subscription),
      source: e.source,
      actor: e.actor,
      proof: e.proof,
      at: e.at.toISOString(),
    })),
  };
}

export function presentKeywords(k: TenantKeywords): Static<typeof Keywords> {
  return {
    custom: k.custom,
    languages: k.languages.map((l) => ({
      language: l.language,
      opt_out: l.optOut,
      opt_in: l.optIn,
      opt_out_reply: l.optOutReply,
      opt_in_reply: l.optInReply,
    })),
  };
}
