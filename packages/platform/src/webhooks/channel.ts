/**
 * The LISTEN/NOTIFY channel that wakes delivery workers. The payload is a comma-separated list of
 * destination ids with new work, or '' for "look at everything" (the list would not fit in
 * NOTIFY's 8,000 bytes).
 */
export const WEBHOOK_CHANNEL = 'switchboard_tenant_webhooks';

/** Longest payload sent; beyond it workers are told to scan instead. */
export const MAX_NOTIFY_PAYLOAD = 7_000;
