/** A row of the local template copy (table templates), and the part of it changes are about. */
import type { TemplateState } from './template-events.js';

export interface TemplateRow {
  id: string;
  tenant_id: string;
  waba_id: string;
  name: string;
  language: string;
  category: string;
  previous_category: string | null;
  correct_category: string | null;
  category_change_at: Date | null;
  parameter_format: string;
  components: unknown[];
  message_send_ttl_seconds: number | null;
  status: string;
  rejected_reason: string | null;
  rejection_info: { reason?: string; recommendation?: string } | null;
  quality_score: string | null;
  pause_reason: string | null;
  paused_until: Date | null;
  approved_edits: Date[];
  stale: boolean;
  version: number;
  read_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function stateOf(row: TemplateRow): TemplateState {
  return {
    status: row.status,
    category: row.category,
    qualityScore: row.quality_score,
    rejectedReason: row.rejected_reason,
    pausedUntil: row.paused_until,
    version: row.version,
  };
}
