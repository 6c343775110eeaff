/** What modules call to tell subscribed apps about a change (implemented by WebhookDispatcher). */
import type { App } from '../state/types.js';

export interface WebhookChange {
  wabaId: string;
  field: string;
  value: unknown;
  /** When the value depends on the receiving app (status `conversation` differs by webhook version): built per app, replacing `value`. */
  valueFor?: (app: App) => unknown;
  /** For override-capable fields (messages…): the number whose override URL takes precedence. */
  phoneNumberId?: string;
}

export interface WebhookEmitter {
  emit(change: WebhookChange): void;
}

/** Fields whose delivery follows the phone → WABA → app override chain (reference §2.6). */
export const OVERRIDE_FIELDS = new Set([
  'messages',
  'message_echoes',
  'calls',
  'smb_message_echoes',
  'smb_app_state_sync',
  'history',
  'account_settings_update',
]);
