/**
 * A message as the emulator tracks it, in either direction: business → user (outbound, with the
 * statuses Meta would report) or user → business (inbound, which the business can mark read).
 */
import type { WebhookError } from '@switchboard/wire';

export type MessageStatus = 'accepted' | 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'received';

/** Pricing category as status webhooks carry it (reference §6.2). */
export type PricingCategory = 'service' | 'marketing' | 'utility' | 'authentication' | 'referral_conversion';

export interface Pricing {
  billable: boolean;
  pricing_model: 'PMP';
  type: 'regular' | 'free_customer_service' | 'free_entry_point';
  category: PricingCategory;
}

export interface Message {
  id: string;
  direction: 'outbound' | 'inbound';
  phoneNumberId: string;
  wabaId: string;
  /** The WhatsApp user's wa_id (recipient of an outbound message, sender of an inbound one). */
  waId: string;
  type: string;
  /** Outbound: the request body as sent. Inbound: the message object of the webhook. */
  payload: Record<string, unknown>;
  status: MessageStatus;
  /** Every status reached, in order, with the virtual time it was reached. */
  statuses: Array<{ status: MessageStatus; at: number }>;
  createdAt: number;
  bizOpaqueCallbackData?: string;
  /** Pricing category when sent ("marketing", "utility", "authentication", "service"…). */
  category?: PricingCategory;
  pricing?: Pricing;
  /** Conversation object for webhooks of apps on v23 or older (reference §2.4). */
  conversation?: { id: string; expiresAt: number; origin: PricingCategory };
  /** Why an outbound message failed (the `errors[0]` of its failed status). */
  error?: WebhookError;
  /** Template name and language for template sends. */
  template?: { name: string; language: string };
  /** wamid this message replies to (context) or reacts to. */
  contextId?: string;
}
