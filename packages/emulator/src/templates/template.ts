/** A message template as the emulator stores it (owned by the templates module). */
import type { TemplateCategory, TemplateQualityScore, TemplateStatus } from '@switchboard/wire';

export type { TemplateCategory, TemplateStatus } from '@switchboard/wire';

export interface Template {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  /** Category the reviewer judged correct, when it differs (reference §5.1). */
  correctCategory?: TemplateCategory;
  /** The category before the reviewer changed it (template_category_update). */
  previousCategory?: TemplateCategory;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  /** Components as validated by wire's validateTemplateRequest (Meta echoes them back). */
  components: Array<Record<string, unknown>>;
  status: TemplateStatus;
  /** "NONE" unless rejected. */
  rejectedReason: string;
  /** rejection_info of INVALID_FORMAT rejections. */
  rejectionInfo?: { reason: string; recommendation: string };
  qualityScore: TemplateQualityScore;
  qualityUpdatedAt?: number;
  /** How many times quality reached RED and paused the template (3rd time disables it). */
  pauseCount: number;
  pausedUntil?: number;
  createdAt: number;
  /** Times of edits while APPROVED (10 per 30 days, 1 per 24 h). */
  approvedEdits: number[];
  /** Set by an edit that changed components; the approval then emits message_template_components_update. */
  componentsEdited?: boolean;
  messageSendTtlSeconds?: number;
  ctaUrlLinkTrackingOptedOut?: boolean;
  /** Listing order (newest first) and paging cursor; assigned by the store when absent. */
  seq?: number;
}
