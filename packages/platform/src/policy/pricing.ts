/**
 * How Meta will price a message under per-message pricing (reference §6.2), decided as the
 * emulator's messaging/pricing.ts decides it:
 * - inside a free-entry-point window everything is free (type free_entry_point, category
 *   referral_conversion);
 * - free-form messages are free customer service (category service);
 * - utility templates inside an open service window are free customer service (category utility);
 * - marketing and authentication templates, and utility templates outside a window, are billable.
 */
export type MessageCategory = 'marketing' | 'utility' | 'authentication' | 'service';

export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
  /** Meta's pricing.category: the message's category, or referral_conversion inside a free-entry-point window. */
  category: MessageCategory | 'referral_conversion';
}

export function priceOf(category: MessageCategory, inServiceWindow: boolean, inFreeEntryPoint: boolean): Pricing {
  if (inFreeEntryPoint) return { billable: false, pricing_model: 'PMP', type: 'free_entry_point', category: 'referral_conversion' };
  if (category === 'service' || (category === 'utility' && inServiceWindow)) {
    return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category };
  }
  return { billable: true, pricing_model: 'PMP', type: 'regular', category };
}
