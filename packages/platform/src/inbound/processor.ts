/**
 * Processes stored webhooks from Meta: every entry, every change, every message and status (never
 * only the first). A claimed batch is applied at once; if that fails, each event in its own
 * savepoint, so one bad event cannot block the others.
 * Workers in several processes take turns (takeTurn below) and claim with FOR UPDATE SKIP LOCKED;
 * they wake on NOTIFY, with a slow sweep as a safety net (and to apply statuses that waited for
 * their message's id).
 */
import type { TransactionSql } from 'postgres';
import type { PlatformContext } from '../context.js';
import { NotifiedWorker } from '../db/notified-worker.js';
import { ACCOUNT_FIELDS, alertOnAccountChange } from '../alerts/account-alerts.js';
import { applyUserPreferences } from '../contacts/apply-user-preferences.js';
import { applyHealthWebhook, HEALTH_FIELDS } from '../limits/apply-health-webhook.js';
import { applyTemplateWebhook } from '../templates/apply-template-webhook.js';
import { enqueueTenantEvents } from '../webhooks/enqueue-events.js';
import { applyMessages } from './apply-messages.js';
import { applyPendingStatuses, applyStatuses, type MetaStatus } from './apply-statuses.js';

export const INBOUND_CHANNEL = 'switchboard_inbound';
const BATCH = 100;
/** Attempts after which a stored Meta webhook is given up on (kept for inspection until retention removes it). */
export const MAX_INBOUND_ATTEMPTS = 5;
const SWEEP_MS = 5_000;
/** Advisory-lock key of the inbound turn ("SWIN"). */
const INBOUND_LOCK = 0x5357494e;

interface Change {
  field?: unknown;
  value?: Record<string, unknown>;
}

export class InboundProcessor extends NotifiedWorker {
  constructor(ctx: PlatformContext) {
    super(ctx, INBOUND_CHANNEL, SWEEP_MS);
  }

  protected async work(): Promise<void> {
    try {
      while (!this.closing && (await this.#batch()) > 0) {
        // keep going while events arrive
      }
      await this.ctx.sql.begin(async (tx) => {
        await takeTurn(tx);
        await applyPendingStatuses(tx, new Date(this.ctx.clock.now()));
      });
    } catch (err) {
      this.ctx.logger.error({ err }, 'inbound processing failed; will retry');
    }
  }

  async #batch(): Promise<number> {
    return this.ctx.sql.begin(async (tx) => {
      await takeTurn(tx);
      const events = await tx<{ id: string; body: { entry?: unknown }; attempts: number }[]>`
        select id::text as id, body, attempts from inbound_events
        where processed_at is null and attempts < ${MAX_INBOUND_ATTEMPTS}
        order by inbound_events.id for update skip locked limit ${BATCH}`;
      if (events.length === 0) return 0;
      const now = new Date(this.ctx.clock.now());
      // The whole batch at once: its changes grouped per phone number across every POST, one set of
      // queries per number (the end-to-end benchmark's inbound stage was the one that queued).
      try {
        await tx.savepoint((sp) => this.#process(sp, events.map((e) => e.body), now));
        await tx`update inbound_events set processed_at = ${now} where id = any(${events.map((e) => e.id)}::bigint[])`;
        return events.length;
      } catch (err) {
        if (events.length === 1) this.ctx.logger.debug({ err }, 'inbound batch failed');
        else this.ctx.logger.warn({ err, events: events.length }, 'inbound batch failed; processing its events one by one');
      }
      // One bad event must not hold back the others: each on its own, only the bad one retried.
      for (const event of events) {
        try {
          await tx.savepoint((sp) => this.#process(sp, [event.body], now));
          await tx`update inbound_events set processed_at = ${now} where id = ${event.id}`;
        } catch (err) {
          this.ctx.logger.error({ err, event: event.id }, 'inbound event failed');
          await tx`update inbound_events set attempts = attempts + 1, last_error = ${String(err instanceof Error ? err.message : err)}
                   where id = ${event.id}`;
        }
      }
      return events.length;
    });
  }

  async #process(tx: TransactionSql, bodies: Array<{ entry?: unknown }>, now: Date): Promise<void> {
    // Meta batches up to hundreds of changes in a POST, usually one status each: they are grouped
    // by phone number, in arrival order, and applied with one set of queries per number, not one
    // per change (the first end-to-end benchmark processed 330 changes/s one by one).
    const groups = new Map<string, MessagesGroup>();
    for (const body of bodies) {
      const entries = Array.isArray(body?.entry) ? (body.entry as Array<{ id?: unknown; changes?: unknown }>) : [];
      for (const entry of entries) {
        const wabaId = typeof entry?.id === 'string' || typeof entry?.id === 'number' ? String(entry.id) : '';
        const changes = Array.isArray(entry?.changes) ? (entry.changes as Change[]) : [];
        for (const change of changes) {
          const field = typeof change?.field === 'string' ? change.field : undefined;
          const value = change?.value && typeof change.value === 'object' ? change.value : undefined;
          if (!field || !value) continue;
          if (field === 'messages') collectMessagesChange(groups, wabaId, value);
          else await this.#otherChange(tx, wabaId, field, value, now);
        }
      }
    }
    for (const [phoneNumberId, group] of groups) await this.#messagesGroup(tx, phoneNumberId, group, now);
  }

  async #messagesGroup(tx: TransactionSql, phoneNumberId: string, group: MessagesGroup, now: Date): Promise<void> {
    const [number] = await tx<{ tenant_id: string; waba_id: string }[]>`select tenant_id, waba_id from phone_numbers where id = ${phoneNumberId}`;
    if (!number) {
      this.ctx.logger.warn({ phone_number_id: phoneNumberId }, 'webhook for a number no tenant owns; ignored');
      return;
    }
    const context = { tenantId: number.tenant_id, phoneNumberId, wabaId: number.waba_id || group.wabaId, metadata: group.metadata };
    if (group.messages.length > 0) await applyMessages(tx, context, group.messages, group.contacts, now);
    if (group.statuses.length > 0) await applyStatuses(tx, context, group.statuses, now);
    if (group.errors.length > 0) {
      await enqueueTenantEvents(
        tx,
        group.errors.map((value) => ({ tenantId: number.tenant_id, wabaId: context.wabaId, phoneNumberId, field: 'messages', value, orderingKey: `${phoneNumberId}:errors` })),
        now,
      );
    }
  }

  /** Template, quality, account and other WABA-level changes go to the WABA's tenant as Meta sent them. */
  async #otherChange(tx: TransactionSql, wabaId: string, field: string, value: Record<string, unknown>, now: Date): Promise<void> {
    const [waba] = await tx<{ tenant_id: string }[]>`select tenant_id from wabas where id = ${wabaId}`;
    if (!waba) return;
    // The local template copy first, so a send right after the tenant hears of a change is checked against it.
    await applyTemplateWebhook(tx, wabaId, field, value, now);
    // Opt-outs from Meta, number health and tiers, account alerts (contacts/, limits/, alerts/).
    const target = { tenantId: waba.tenant_id, wabaId };
    if (field === 'user_preferences') await applyUserPreferences(tx, waba.tenant_id, value, now);
    if (HEALTH_FIELDS.has(field)) await applyHealthWebhook(tx, target, field, value, now);
    if (ACCOUNT_FIELDS.has(field)) await alertOnAccountChange(tx, target, field, value, now);
    await enqueueTenantEvents(tx, [{ tenantId: waba.tenant_id, wabaId, field, value, orderingKey: `waba:${wabaId}` }], now);
  }
}

/**
 * Processes take turns, a batch each: a batch locks the messages its statuses update, and two
 * batches applying sent/delivered/read of the same messages at once deadlocked (measured with two
 * platform processes). One batch at a time keeps statuses in arrival order too; the waiting
 * process then finds the events committed meanwhile, so no wake-up is lost. Released at commit.
 */
async function takeTurn(tx: TransactionSql): Promise<void> {
  await tx`select pg_advisory_xact_lock(${INBOUND_LOCK})`;
}

interface MessagesGroup {
  wabaId: string;
  metadata: unknown;
  statuses: MetaStatus[];
  messages: unknown[];
  contacts: unknown[];
  errors: Array<Record<string, unknown>>;
}

/** Adds a `messages` change to its phone number's group, in arrival order. */
function collectMessagesChange(groups: Map<string, MessagesGroup>, wabaId: string, value: Record<string, unknown>): void {
  const metadata = value.metadata as { phone_number_id?: unknown } | undefined;
  const phoneNumberId = typeof metadata?.phone_number_id === 'string' ? metadata.phone_number_id : undefined;
  if (!phoneNumberId) return;
  let group = groups.get(phoneNumberId);
  if (!group) groups.set(phoneNumberId, (group = { wabaId, metadata, statuses: [], messages: [], contacts: [], errors: [] }));
  if (Array.isArray(value.statuses)) group.statuses.push(...(value.statuses as MetaStatus[]));
  if (Array.isArray(value.messages)) group.messages.push(...value.messages);
  if (Array.isArray(value.contacts)) group.contacts.push(...value.contacts);
  if (Array.isArray(value.errors) && !value.statuses && !value.messages) group.errors.push(value);
}
