/**
 * Webhook fields an app may subscribe to on the `whatsapp_business_account` object
 * (reference §2.3), and the objects `POST /{app-id}/subscriptions` accepts.
 */
export const WABA_WEBHOOK_FIELDS: readonly string[] = [
  'account_alerts',
  'account_review_update',
  'account_settings_update',
  'account_update',
  'automatic_events',
  'business_capability_update',
  'calls',
  'flows',
  'history',
  'message_echoes',
  'message_template_components_update',
  'message_template_quality_update',
  'message_template_status_update',
  'messages',
  'partner_solutions',
  'payment_configuration_update',
  'phone_number_name_update',
  'phone_number_quality_update',
  'security',
  'smb_app_state_sync',
  'smb_message_echoes',
  'template_category_update',
  'user_preferences',
];

/** Objects Meta's app subscriptions take; only whatsapp_business_account has deliveries here. */
export const SUBSCRIPTION_OBJECTS: readonly string[] = [
  'whatsapp_business_account',
  'application',
  'page',
  'permissions',
  'user',
  'instagram',
];
