/**
 * Reads numbers from Meta when a webhook said something changed but not everything (after
 * UNFLAGGED the rating is unknown; a FLAGGED number's status may have moved too): quality rating,
 * status, throughput and messaging-limit tier, compared with what was stored (drops raise alerts,
 * number-health.ts) and stored. Due numbers are claimed with SKIP LOCKED and leased for a few
 * minutes, so several processes share the work and a failed read is retried after the lease.
 */
import { GRAPH_ID } from '@switchboard/wire';
import type { PlatformContext } from '../context.js';
import { raiseAlerts } from '../alerts/raise-alerts.js';
import { DEFAULT_MPS, HIGH_MPS } from '../assets/read-waba.js';
import { wabaToken } from '../messaging/numbers.js';
import { HOLD_CHANNEL } from './hold-channel.js';
import { numberAlerts, tierAlert } from './number-health.js';
import { setPortfolioTier } from './portfolio-store.js';
import { REFRESH_CHANNEL } from './refresh-channel.js';
import { readTier } from './tiers.js';
import { startWakeLoop, type WakeLoop } from './wake-loop.js';

const BATCH = 20;
const LEASE_MS = 5 * 60_000;
const SWEEP_MS = 30_000;
/** The tier field was renamed in v24 (reference §0): ask for the one the configured version has. */
function fields(version: string): string {
  const major = Number(/^v(\d+)/.exec(version)?.[1] ?? 0);
  return `id,display_phone_number,quality_rating,status,throughput,${major >= 24 ? 'whatsapp_business_manager_messaging_limit' : 'messaging_limit_tier'}`;
}

interface DueNumber {
  id: string;
  tenant_id: string;
  waba_id: string;
  display_phone_number: string;
  quality_rating: string | null;
  status: string | null;
}

export async function startNumberRefresher(ctx: PlatformContext): Promise<WakeLoop> {
  return startWakeLoop(ctx, { channel: REFRESH_CHANNEL, sweepMs: SWEEP_MS, name: 'number refresher', run: async () => void (await refreshDue(ctx)) });
}

/** Reads every number that is due; returns how many were read. */
export async function refreshDue(ctx: PlatformContext): Promise<number> {
  let read = 0;
  for (;;) {
    const now = new Date(ctx.clock.now());
    const due = await ctx.sql<DueNumber[]>`
      update phone_numbers n set refresh_due_at = ${new Date(now.getTime() + LEASE_MS)}
      where n.id in (
        select id from phone_numbers where refresh_due_at <= ${now}
        order by refresh_due_at for update skip locked limit ${BATCH})
      returning n.id, n.tenant_id, n.waba_id, n.display_phone_number, n.quality_rating, n.status`;
    for (const number of due) if (await refreshOne(ctx, number)) read++;
    if (due.length < BATCH) return read;
  }
}

async function refreshOne(ctx: PlatformContext, number: DueNumber): Promise<boolean> {
  const token = await wabaToken(ctx, number.waba_id);
  if (!token || !GRAPH_ID.test(number.id)) return false;
  const outcome = await ctx.graph.request('GET', number.id, { token, query: { fields: fields(ctx.graph.version) } });
  if (outcome.kind !== 'ok') {
    ctx.logger.warn({ phone_number_id: number.id, outcome }, 'reading a number from Meta failed; retrying after the lease');
    return false;
  }
  const body = outcome.body;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
  const quality = text(body.quality_rating);
  const status = text(body.status);
  const level = text((body.throughput as { level?: unknown } | undefined)?.level);
  const tier = readTier(body.messaging_limit_tier) ?? readTier(body.whatsapp_business_manager_messaging_limit);
  const now = new Date(ctx.clock.now());
  await ctx.sql.begin(async (tx) => {
    const [current] = await tx<{ quality_rating: string | null; status: string | null; portfolio_id: string }[]>`
      select n.quality_rating, n.status, w.portfolio_id from phone_numbers n join wabas w on w.id = n.waba_id
      where n.id = ${number.id} and n.tenant_id = ${number.tenant_id} for update of n`;
    if (!current) return;
    const alerts = numberAlerts(
      { tenantId: number.tenant_id, wabaId: number.waba_id, number: { id: number.id, displayPhoneNumber: number.display_phone_number } },
      { qualityRating: current.quality_rating, status: current.status, messagingLimitTier: null },
      { qualityRating: quality ?? current.quality_rating, status: status ?? current.status, messagingLimitTier: tier ?? null },
      'read',
      { read: now.toISOString(), quality, status },
    );
    if (tier) {
      const previous = await setPortfolioTier(tx, current.portfolio_id, tier, now);
      alerts.push(...tierAlert(number.tenant_id, number.waba_id, previous, tier, 'read', { read: now.toISOString(), tier }));
      if (previous !== tier) await tx`select pg_notify(${HOLD_CHANNEL}, '')`;
    }
    await tx`
      update phone_numbers set
        quality_rating = coalesce(${quality}, quality_rating),
        status = coalesce(${status}, status),
        throughput_level = coalesce(${level}, throughput_level),
        mps = case when ${level}::text = 'HIGH' then ${HIGH_MPS}::int when ${level}::text is not null then ${DEFAULT_MPS}::int else mps end,
        synced_at = ${now},
        health_updated_at = ${now},
        refresh_due_at = null
      where id = ${number.id}`;
    await raiseAlerts(tx, alerts, now);
  });
  return true;
}
