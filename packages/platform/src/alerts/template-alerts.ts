/**
 * Alerts from template changes, subscribed to the templates module's onTemplateChange (its
 * listeners run in the transaction that stored the change, so an alert commits with it): paused,
 * disabled, recategorised (announced or done), quality down. Changes the tenant made through the
 * platform raise nothing.
 */
import { qualityDropped } from './alert-kinds.js';
import { raiseAlerts, type NewAlert } from './raise-alerts.js';
import { onTemplateChange, type TemplateChange } from '../templates/template-events.js';

let subscribed = false;

/** Subscribes once per process (the listener list is module-wide; platforms in one process share it). */
export function subscribeTemplateAlerts(): void {
  if (subscribed) return;
  subscribed = true;
  onTemplateChange(async (tx, change) => {
    const alerts = templateAlerts(change);
    if (alerts.length > 0) await raiseAlerts(tx, alerts, change.at);
  });
}

export function templateAlerts(change: TemplateChange): NewAlert[] {
  if (change.source === 'api' || !change.current) return [];
  const { previous, current } = change;
  const label = `${change.name} (${change.language})`;
  const base = {
    tenantId: change.tenantId,
    wabaId: change.wabaId,
    entity: { type: 'TEMPLATE' as const, id: change.templateId },
    source: change.source === 'webhook' ? ('webhook' as const) : ('read' as const),
    dedup: change.webhook ?? { current, at: change.at.toISOString() },
  };
  const details = {
    template_id: change.templateId,
    name: change.name,
    language: change.language,
    previous: previous ?? null,
    current,
    ...(change.webhook ? { webhook: change.webhook } : {}),
  };
  const alerts: NewAlert[] = [];
  const alert = (kind: NewAlert['kind'], severity: NewAlert['severity'], title: string, description: string) =>
    alerts.push({ ...base, details, kind, severity, title, description });
  const event = typeof change.webhook?.value.event === 'string' ? change.webhook.value.event : undefined;

  if (current.status === 'PAUSED' && previous?.status !== 'PAUSED') {
    const until = current.pausedUntil ? ` until ${current.pausedUntil.toISOString()}` : '';
    alert('template_paused', 'WARNING', `Template ${label} paused`, `Meta paused the template for low quality${until}; sends are refused (132015) meanwhile.`);
  } else if (current.status === 'DISABLED' && previous?.status !== 'DISABLED') {
    alert('template_disabled', 'CRITICAL', `Template ${label} disabled`, 'Meta disabled the template (repeated low quality); sends are refused (132016). Create a new one.');
  } else if (event === 'FLAGGED') {
    alert('template_quality_dropped', 'WARNING', `Template ${label} flagged`, 'Meta flagged the template for low quality; it may be paused or disabled if this continues.');
  }

  // Advance notice (correct_category: what it will become) or the change itself.
  const correct = change.webhook?.field === 'template_category_update' ? change.webhook.value.correct_category : undefined;
  const announced = typeof correct === 'string';
  if (announced || (previous && current.category !== previous.category)) {
    const to = announced ? correct : current.category;
    const announcedFrom = change.webhook?.value.new_category;
    const from = previous?.category ?? (typeof announcedFrom === 'string' ? announcedFrom : 'its category');
    alert(
      'template_recategorised',
      'WARNING',
      announced ? `Template ${label} will become ${to}` : `Template ${label} is now ${to}`,
      `Meta ${announced ? 'will change' : 'changed'} the template's category from ${from} to ${to}; it is priced (and opted-out users are refused) as ${to}.`,
    );
  }

  if (qualityDropped(previous?.qualityScore, current.qualityScore)) {
    alert(
      'template_quality_dropped',
      current.qualityScore === 'RED' ? 'CRITICAL' : 'WARNING',
      `Template ${label} quality fell to ${current.qualityScore}`,
      'Users are reacting badly to this template; a RED template is paused by Meta.',
    );
  }
  return alerts;
}
