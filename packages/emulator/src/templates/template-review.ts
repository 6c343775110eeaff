/**
 * The emulator's template reviewer: deterministic, so tests and demos know the outcome. A
 * submitted or edited template stays PENDING for the configured delay on the emulator's clock,
 * then the first matching rule decides:
 *   1. a format issue Meta rejects at review (adjacent variables)  → REJECTED, INVALID_FORMAT
 *   2. a banned word or phrase                                      → REJECTED with its reason
 *   3. MARKETING/UTILITY text that reads as a one-time code         → REJECTED, INCORRECT_CATEGORY
 *   4. UTILITY text with a promotional word                         → APPROVED as MARKETING
 *   5. otherwise                                                    → APPROVED
 * Words match case-insensitively as whole words in the name, header, body, footer and buttons.
 */
import { templateFormatIssues, type TemplateCategory, type TemplateDefinition } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { ReviewerSettings } from './reviewer-settings.js';
import type { Template } from './template.js';
import { emitCategoryUpdate, emitComponentsUpdate, emitStatusUpdate } from './template-webhooks.js';

export interface ReviewDecision {
  status: 'APPROVED' | 'REJECTED';
  /** The rejection reason, "NONE" when approved. */
  reason: string;
  /** Approve (or reject) under this category instead of the submitted one. */
  category?: TemplateCategory;
  rejectionInfo?: { reason: string; recommendation: string };
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether `phrase` occurs in `text` as whole words ("sale" matches "Big sale!" but not "wholesale"). */
export function containsPhrase(text: string, phrase: string): boolean {
  const h = text.toLowerCase();
  const p = phrase.toLowerCase().trim();
  if (p === '') return false;
  const guardStart = WORD_CHAR.test(p[0] ?? '');
  const guardEnd = WORD_CHAR.test(p[p.length - 1] ?? '');
  for (let i = h.indexOf(p); i >= 0; i = h.indexOf(p, i + 1)) {
    const before = h[i - 1];
    const after = h[i + p.length];
    if ((!guardStart || before === undefined || !WORD_CHAR.test(before)) && (!guardEnd || after === undefined || !WORD_CHAR.test(after))) return true;
  }
  return false;
}

/** Everything a reviewer reads: the name (underscores as spaces) and every text of the template. */
export function reviewText(t: Pick<Template, 'name' | 'components'>): string {
  const parts = [t.name.replace(/_/g, ' ')];
  for (const c of t.components) {
    if (typeof c.text === 'string') parts.push(c.text);
    if (Array.isArray(c.buttons)) {
      for (const b of c.buttons as Array<Record<string, unknown>>) if (typeof b.text === 'string') parts.push(b.text);
    }
  }
  return parts.join('\n');
}

export function decideReview(t: Template, settings: ReviewerSettings): ReviewDecision {
  const issue = templateFormatIssues({ components: t.components as unknown as TemplateDefinition['components'] })[0];
  if (issue) {
    return { status: 'REJECTED', reason: 'INVALID_FORMAT', rejectionInfo: { reason: issue.message, recommendation: issue.recommendation } };
  }
  const text = reviewText(t);
  const banned = settings.bannedWords.find((b) => containsPhrase(text, b.word));
  if (banned) return { status: 'REJECTED', reason: banned.reason };
  if (t.category !== 'AUTHENTICATION' && settings.authenticationWords.some((w) => containsPhrase(text, w))) {
    return { status: 'REJECTED', reason: 'INCORRECT_CATEGORY' };
  }
  if (t.category === 'UTILITY' && settings.promotionalWords.some((w) => containsPhrase(text, w))) {
    // Since 2025-04-09 Meta approves such templates as MARKETING instead of rejecting them (reference §5.1).
    return { status: 'APPROVED', reason: 'NONE', category: 'MARKETING' };
  }
  return { status: 'APPROVED', reason: 'NONE' };
}

/** Records a decision and announces it (status, then category and component updates). */
export function applyReview(ctx: EmulatorContext, t: Template, decision: ReviewDecision): void {
  ctx.state.templates.cancelTimer(t.id, 'review');
  ctx.state.templates.cancelTimer(t.id, 'unpause');
  const previousCategory = t.category;
  t.status = decision.status;
  t.pausedUntil = undefined;
  t.rejectedReason = decision.status === 'REJECTED' ? decision.reason : 'NONE';
  t.rejectionInfo = decision.rejectionInfo;
  const recategorised = decision.category !== undefined && decision.category !== previousCategory;
  if (recategorised && decision.category) {
    t.previousCategory = previousCategory;
    t.category = decision.category;
    t.correctCategory = undefined;
  }
  emitStatusUpdate(ctx, t, { event: t.status, reason: t.rejectedReason, ...(decision.rejectionInfo ? { rejectionInfo: decision.rejectionInfo } : {}) });
  if (recategorised) emitCategoryUpdate(ctx, t, previousCategory, t.category);
  if (t.status === 'APPROVED' && t.componentsEdited) emitComponentsUpdate(ctx, t);
  t.componentsEdited = false;
}

/**
 * Puts a PENDING template in the review queue: decided after the configured delay on the clock,
 * at once when the delay is 0, never when auto review is off (the control API decides then).
 */
export function scheduleReview(ctx: EmulatorContext, t: Template): void {
  const store = ctx.state.templates;
  store.cancelTimer(t.id, 'review');
  const settings = store.reviewer;
  if (!settings.autoReview || t.status !== 'PENDING') return;
  if (settings.delayMs <= 0) {
    applyReview(ctx, t, decideReview(t, settings));
    return;
  }
  const id = t.id;
  const cancel = ctx.clock.at(ctx.clock.now() + settings.delayMs, () => {
    store.timers.delete(`${id}:review`);
    const current = store.get(id);
    if (current?.status === 'PENDING') applyReview(ctx, current, decideReview(current, store.reviewer));
  });
  store.setTimer(id, 'review', cancel);
}
