/**
 * How the emulator's deterministic template reviewer behaves; changed through
 * POST /_emulator/templates/reviewer and restored to these defaults by /_emulator/reset.
 * The rules themselves are in template-review.ts and the README's Templates section.
 */
import type { TemplateRejectionReason } from '@switchboard/wire';

export interface ReviewerSettings {
  /**
   * Time from submission (or edit) to the decision. Meta takes minutes to 24 h; 5 s keeps
   * `switchboard dev` snappy while still showing PENDING, and tests advance the virtual clock.
   */
  delayMs: number;
  /** Off: templates stay PENDING until POST /_emulator/templates/{id}/review decides. */
  autoReview: boolean;
  /** In a UTILITY template: approved, but as MARKETING (template_category_update). */
  promotionalWords: string[];
  /** In a MARKETING or UTILITY template: rejected as INCORRECT_CATEGORY. */
  authenticationWords: string[];
  /** Rejected with the given reason. */
  bannedWords: Array<{ word: string; reason: Extract<TemplateRejectionReason, 'ABUSIVE_CONTENT' | 'SCAM' | 'PROMOTIONAL' | 'TAG_CONTENT_MISMATCH'> }>;
}

export const DEFAULT_REVIEW_DELAY_MS = 5_000;

export function defaultReviewerSettings(): ReviewerSettings {
  return {
    delayMs: DEFAULT_REVIEW_DELAY_MS,
    autoReview: true,
    promotionalWords: ['offer', 'discount', '% off', 'sale', 'promo', 'promotion', 'buy now', 'coupon', 'deal', 'limited time'],
    authenticationWords: ['verification code', 'one-time password', 'one time password', 'otp', 'passcode'],
    bannedWords: [
      { word: 'idiot', reason: 'ABUSIVE_CONTENT' },
      { word: 'stupid', reason: 'ABUSIVE_CONTENT' },
      { word: 'lottery', reason: 'SCAM' },
      { word: 'jackpot', reason: 'SCAM' },
      { word: 'you have won', reason: 'SCAM' },
      { word: 'guaranteed returns', reason: 'SCAM' },
    ],
  };
}
