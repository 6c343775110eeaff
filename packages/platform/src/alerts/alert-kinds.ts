/**
 * The alerts the platform raises (a closed list, so tenants can branch on `kind`):
 *   number_quality_dropped    a number's quality rating fell (GREEN → YELLOW → RED, or Meta FLAGGED it)
 *   number_restricted         a number's status left CONNECTED for a restricting one (FLAGGED, RESTRICTED, BANNED …)
 *   messaging_limit_lowered   the portfolio's messaging limit went down
 *   account_restricted        Meta restricted, disabled, scheduled to disable or deleted the WABA (account_update)
 *   account_alert             Meta's account_alerts (e.g. a messaging-limit increase deferred or refused)
 *   template_paused           a template was PAUSED (quality), or FLAGGED
 *   template_disabled         a template was DISABLED
 *   template_recategorised    Meta changed (or announced it will change) a template's category
 *   template_quality_dropped  a template's quality score fell
 */
export const ALERT_KINDS = [
  'number_quality_dropped',
  'number_restricted',
  'messaging_limit_lowered',
  'account_restricted',
  'account_alert',
  'template_paused',
  'template_disabled',
  'template_recategorised',
  'template_quality_dropped',
] as const;

export type AlertKind = (typeof ALERT_KINDS)[number];

export const ALERT_SEVERITIES = ['CRITICAL', 'WARNING', 'INFORMATIONAL'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

const QUALITY_RANK: Readonly<Record<string, number>> = { GREEN: 3, YELLOW: 2, RED: 1 };

/** Whether a quality rating (number or template) fell; UNKNOWN / NA / null compare as nothing. */
export function qualityDropped(from: string | null | undefined, to: string | null | undefined): boolean {
  const a = from ? QUALITY_RANK[from] : undefined;
  const b = to ? QUALITY_RANK[to] : undefined;
  return a !== undefined && b !== undefined && b < a;
}

/** Number statuses that keep it from sending normally. */
export const RESTRICTING_STATUSES: ReadonlySet<string> = new Set(['FLAGGED', 'RESTRICTED', 'RATE_LIMITED', 'BANNED', 'DISCONNECTED', 'DELETED', 'OFFLINE']);
