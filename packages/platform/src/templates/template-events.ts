/**
 * Changes to the local template copy, for other modules (alerts on pauses, recategorisation and
 * quality drops). Listeners run inside the transaction that made the change, so what they write
 * (an alert row) commits or rolls back with it; a listener that throws fails that change, which is
 * then retried (a webhook event) or reported (a sync). Keep them to quick SQL.
 *
 * @example
 *   const stop = onTemplateChange(async (tx, change) => {
 *     if (change.kind === 'status' && change.current?.status === 'PAUSED') await raiseAlert(tx, change);
 *   });
 */
import type { TransactionSql } from 'postgres';

export type TemplateChangeKind = 'created' | 'status' | 'quality' | 'category' | 'components' | 'edited' | 'deleted' | 'synced';

/** The fields of a template a change is about, before and after. */
export interface TemplateState {
  status: string;
  category: string;
  qualityScore: string | null;
  rejectedReason: string | null;
  pausedUntil: Date | null;
  version: number;
}

export interface TemplateChange {
  kind: TemplateChangeKind;
  /** 'webhook': Meta told us; 'sync': read from Meta; 'api': the tenant changed it through the platform. */
  source: 'webhook' | 'sync' | 'api';
  tenantId: string;
  wabaId: string;
  templateId: string;
  name: string;
  language: string;
  previous: TemplateState | null;
  /** null when the template was deleted. */
  current: TemplateState | null;
  /** The Meta webhook value that caused it, when there was one. */
  webhook?: { field: string; value: Record<string, unknown> };
  at: Date;
}

export type TemplateChangeListener = (tx: TransactionSql, change: TemplateChange) => Promise<void>;

const listeners: TemplateChangeListener[] = [];

/** Subscribes to every change of every template; returns the unsubscribe function. */
export function onTemplateChange(listener: TemplateChangeListener): () => void {
  listeners.push(listener);
  return () => {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  };
}

export async function emitTemplateChange(tx: TransactionSql, change: TemplateChange): Promise<void> {
  for (const listener of [...listeners]) await listener(tx, change);
}
