/** A message template as the emulator stores it (owned by the templates module). */
export type TemplateStatus =
  | 'PENDING'
  | 'APPROVED'
  | 'REJECTED'
  | 'PAUSED'
  | 'DISABLED'
  | 'IN_APPEAL'
  | 'PENDING_DELETION'
  | 'DELETED'
  | 'ARCHIVED'
  | 'LIMIT_EXCEEDED';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

export interface Template {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: TemplateCategory;
  /** Category the reviewer judged correct, when it differs (reference §5.1). */
  correctCategory?: TemplateCategory;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  /** Components exactly as submitted (Meta echoes them back). */
  components: Array<Record<string, unknown>>;
  status: TemplateStatus;
  rejectedReason: string;
  qualityScore: 'GREEN' | 'YELLOW' | 'RED' | 'UNKNOWN';
  /** How many times quality reached RED and paused the template (3rd time disables it). */
  pauseCount: number;
  pausedUntil?: number;
  createdAt: number;
  /** Times of edits while APPROVED (10 per 30 days, 1 per 24 h). */
  approvedEdits: number[];
  messageSendTtlSeconds?: number;
}
