/**
 * Per-message pricing (PMP, reference §6.2) of an outbound message, decided when it is accepted:
 * - inside a free entry point window (72 h from the business's reply to a Click-to-WhatsApp ad
 *   or Page CTA) everything is free: type free_entry_point, category referral_conversion;
 * - non-template messages are free customer service (category service);
 * - utility templates inside an open service window are free customer service (category utility);
 * - marketing and authentication templates, and utility templates outside a window, are billable.
 * The emulator always uses PMP, whatever date its clock shows.
 */
import type { Pricing, PricingCategory } from './message.js';

export function priceOf(category: PricingCategory, inServiceWindow: boolean, inFreeEntryPoint: boolean): Pricing {
  if (inFreeEntryPoint) return { billable: false, pricing_model: 'PMP', type: 'free_entry_point', category: 'referral_conversion' };
  if (category === 'service' || (category === 'utility' && inServiceWindow)) {
    return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  }
  return { billable: true, pricing_model: 'PMP', type: 'regular', category };
}

/** Graph major version of an app's webhooks ("v23.0" → 23); unparseable means current. */
export function webhookMajor(version: string): number {
  const match = /^v?(\d+)/.exec(version);
  return match ? Number(match[1]) : Number.POSITIVE_INFINITY;
}

/** From v24 the status `conversation` object is omitted except inside free entry point windows (reference §2.4). */
export function showsConversation(appWebhookVersion: string, inFreeEntryPoint: boolean): boolean {
  return inFreeEntryPoint || webhookMajor(appWebhookVersion) < 24;
}
