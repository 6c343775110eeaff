/**
 * Counters and gauges rendered as Prometheus text at /metrics. Hand-rolled because the set is small
 * and fixed; labels are bounded (phone-number ids, error codes, outcomes).
 */
type Labels = Record<string, string>;

function key(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

class Family {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge',
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  set(labels: Labels, value: number): void {
    this.values.set(key(labels), value);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    if (this.values.size === 0 && this.type === 'counter') lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines.join('\n');
  }
}

export class Metrics {
  readonly accepted = new Family('switchboard_messages_accepted_total', 'Messages accepted from tenants (committed).', 'counter');
  readonly dispatched = new Family('switchboard_messages_dispatched_total', 'Messages handed to Meta and accepted by it.', 'counter');
  readonly failed = new Family('switchboard_messages_failed_total', 'Messages failed, by Meta error code.', 'counter');
  readonly retried = new Family('switchboard_send_retries_total', 'Send attempts rescheduled, by reason.', 'counter');
  readonly unknownOutcomes = new Family('switchboard_send_unknown_outcomes_total', 'Attempts whose outcome was unknown (timeout after sending).', 'counter');
  readonly queueDepth = new Family('switchboard_queue_depth', 'Messages queued per phone number.', 'gauge');
  readonly queueOldestAge = new Family('switchboard_queue_oldest_age_seconds', 'Age of the oldest queued message per phone number.', 'gauge');
  readonly signatureFailures = new Family('switchboard_meta_webhook_signature_failures_total', 'Webhooks from Meta refused for a missing or forged signature.', 'counter');
  readonly metaWebhooks = new Family('switchboard_meta_webhooks_total', 'Webhooks from Meta stored.', 'counter');
  readonly tenantDeliveries = new Family('switchboard_tenant_webhook_deliveries_total', 'Tenant webhook POSTs, by outcome.', 'counter');
  readonly retentionDeleted = new Family('switchboard_retention_deleted_total', 'Rows deleted past their retention, by table.', 'counter');
  readonly retentionRedacted = new Family('switchboard_retention_redacted_total', 'Messages whose content was removed past its retention, by table.', 'counter');
  readonly tenantDeliveryLag = new Family('switchboard_tenant_webhook_lag_seconds', 'Age of the oldest undelivered tenant event.', 'gauge');
  readonly stuckLanes = new Family(
    'switchboard_send_lanes_stuck',
    "This process's send lanes waiting in one step (a query, a round's sends) for over two minutes; their numbers send nothing meanwhile.",
    'gauge',
  );

  readonly #families: Family[] = [
    this.accepted,
    this.dispatched,
    this.failed,
    this.retried,
    this.unknownOutcomes,
    this.queueDepth,
    this.queueOldestAge,
    this.signatureFailures,
    this.metaWebhooks,
    this.tenantDeliveries,
    this.tenantDeliveryLag,
    this.stuckLanes,
    this.retentionDeleted,
    this.retentionRedacted,
  ];

  render(): string {
    return `${this.#families.map((f) => f.render()).join('\n')}\n`;
  }
}
