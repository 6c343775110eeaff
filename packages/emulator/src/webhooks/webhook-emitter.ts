/** What modules call to tell subscribed apps about a change (implemented by WebhookDispatcher). */
export interface WebhookChange {
  wabaId: string;
  field: string;
  value: unknown;
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
