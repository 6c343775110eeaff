/**
 * Stores messages from users (deduplicated on Meta's id), records the media they carry as the
 * tenant's, opens or extends the 24 h customer-service window, applies opt-out and opt-in
 * keywords (contacts/apply-keywords.ts), and queues each message for the
 * tenant with references to the tenant's own outbound messages translated to platform wamids.
 */
import type { TransactionSql } from 'postgres';
import { applyKeywords, keywordTexts } from '../contacts/apply-keywords.js';
import { endOfSecond } from '../contacts/end-of-second.js';
import { enqueueTenantEvents, type TenantEvent } from '../webhooks/enqueue-events.js';

export interface InboundContext {
  tenantId: string;
  phoneNumberId: string;
  wabaId: string;
  metadata: unknown;
}

interface MetaMessage {
  id: string;
  from: string;
  timestamp?: string;
  type?: string;
  context?: { id?: string; from?: string };
  reaction?: { message_id?: string };
  referral?: unknown;
  [key: string]: unknown;
}

const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'];

export async function applyMessages(
  tx: TransactionSql,
  context: InboundContext,
  messages: unknown[],
  contacts: unknown[],
  now: Date,
): Promise<void> {
  const valid = messages.filter((m): m is MetaMessage => typeof (m as MetaMessage)?.id === 'string' && typeof (m as MetaMessage).from === 'string');
  if (valid.length === 0) return;
  const sentAt = (m: MetaMessage) => (m.timestamp && /^\d+$/.test(m.timestamp) ? new Date(Number(m.timestamp) * 1000) : now);
  const inserted = await tx<{ meta_wamid: string }[]>`
    insert into inbound_messages (meta_wamid, tenant_id, phone_number_id, sender, type, body, sent_at, received_at)
    select id, tenant, phone, sender, type, body::jsonb, sent, received from unnest(
      ${valid.map((m) => m.id)}::text[], ${valid.map(() => context.tenantId)}::uuid[], ${valid.map(() => context.phoneNumberId)}::text[],
      ${valid.map((m) => m.from)}::text[], ${valid.map((m) => String(m.type ?? 'unknown'))}::text[],
      ${valid.map((m) => JSON.stringify(m))}::text[], ${valid.map((m) => sentAt(m).toISOString())}::timestamptz[], ${valid.map(() => now.toISOString())}::timestamptz[])
      as t(id, tenant, phone, sender, type, body, sent, received)
    on conflict (meta_wamid) do nothing
    returning meta_wamid`;
  const fresh = new Set(inserted.map((r) => r.meta_wamid));
  const news = valid.filter((m) => fresh.has(m.id));
  if (news.length === 0) return;

  // The window opens at the user's last message. A click-to-WhatsApp referral is remembered: a business reply within 24 h
  // of it opens the 72 h free-entry-point window (policy/service-window.ts; reference §6.2). The flags go as text[]: as a
  // bool[] parameter postgres.js would read the string 'true' as false.
  const windows = new Map<string, { at: Date; referral: boolean }>();
  for (const m of news) {
    const prev = windows.get(m.from);
    const at = sentAt(m);
    windows.set(m.from, { at: prev && prev.at > at ? prev.at : at, referral: (prev?.referral ?? false) || m.referral !== undefined });
  }
  await tx`
    insert into conversations (phone_number_id, wa_id, tenant_id, last_inbound_at, referral_at)
    select ${context.phoneNumberId}, wa_id, ${context.tenantId}, at, case when referral then at end
    from unnest(${[...windows.keys()]}::text[], ${[...windows.values()].map((w) => w.at.toISOString())}::timestamptz[],
                ${[...windows.values()].map((w) => String(w.referral))}::text[]::boolean[]) as t(wa_id, at, referral)
    on conflict (phone_number_id, wa_id) do update set
      last_inbound_at = greatest(conversations.last_inbound_at, excluded.last_inbound_at),
      referral_at = coalesce(excluded.referral_at, conversations.referral_at)`;

  // Opt-out / opt-in keywords (contacts/apply-keywords.ts), once per new message, after its window opened.
  for (const m of news) {
    for (const text of keywordTexts(m)) {
      if (await applyKeywords(tx, context.tenantId, context.phoneNumberId, m.from, text, endOfSecond(sentAt(m).getTime() / 1000, now), now)) break;
    }
  }

  const mediaIds = news.flatMap((m) => {
    const media = MEDIA_TYPES.includes(String(m.type)) ? (m[String(m.type)] as { id?: unknown } | undefined) : undefined;
    const mime = (media as { mime_type?: unknown } | undefined)?.mime_type;
    return typeof media?.id === 'string' ? [{ id: media.id, mime: typeof mime === 'string' ? mime : '' }] : [];
  });
  if (mediaIds.length > 0) {
    await tx`
      insert into media (id, tenant_id, phone_number_id, mime_type)
      select id, ${context.tenantId}, ${context.phoneNumberId}, mime from unnest(${mediaIds.map((m) => m.id)}::text[], ${mediaIds.map((m) => m.mime)}::text[]) as t(id, mime)
      on conflict (id) do nothing`;
  }

  // Replies and reactions to the tenant's messages name them by Meta's id: give the tenant its own.
  const referenced = [...new Set(news.flatMap((m) => [m.context?.id, m.reaction?.message_id].filter((x): x is string => typeof x === 'string')))];
  const toPlatform = new Map<string, string>();
  if (referenced.length > 0) {
    const rows = await tx<{ wamid: string; meta_wamid: string }[]>`
      select wamid, meta_wamid from messages where tenant_id = ${context.tenantId} and meta_wamid = any(${referenced}::text[])`;
    for (const r of rows) toPlatform.set(r.meta_wamid, r.wamid);
  }
  const contactOf = (waId: string) => contacts.find((c) => (c as { wa_id?: unknown })?.wa_id === waId);
  const events: TenantEvent[] = news.map((m) => {
    const translated: MetaMessage = { ...m };
    if (m.context?.id && toPlatform.has(m.context.id)) translated.context = { ...m.context, id: toPlatform.get(m.context.id)! };
    if (m.reaction?.message_id && toPlatform.has(m.reaction.message_id)) {
      translated.reaction = { ...m.reaction, message_id: toPlatform.get(m.reaction.message_id)! };
    }
    const contact = contactOf(m.from);
    return {
      tenantId: context.tenantId,
      wabaId: context.wabaId,
      phoneNumberId: context.phoneNumberId,
      field: 'messages',
      orderingKey: `${context.phoneNumberId}:${m.from}`,
      value: { messaging_product: 'whatsapp', metadata: context.metadata, ...(contact ? { contacts: [contact] } : {}), messages: [translated] },
    };
  });
  await enqueueTenantEvents(tx, events, now);
}
