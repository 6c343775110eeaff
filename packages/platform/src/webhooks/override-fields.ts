/**
 * Which webhook fields follow WABA and phone-number overrides (reference §2.6). Template and
 * account fields always go to the tenant's default URL, as Meta sends them to the app callback.
 */
export const OVERRIDE_FIELDS: readonly string[] = [
  'messages',
  'message_echoes',
  'calls',
  'consumer_profile',
  'messaging_handovers',
  'smb_message_echoes',
  'smb_app_state_sync',
  'history',
  'account_settings_update',
];

/** Group fields (group_lifecycle_update, group_participants_update, …) are override-capable too. */
export const OVERRIDE_FIELD_PREFIX = 'group_';

export function followsOverrides(field: string): boolean {
  return OVERRIDE_FIELDS.includes(field) || field.startsWith(OVERRIDE_FIELD_PREFIX);
}
