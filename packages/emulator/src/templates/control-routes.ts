/**
 * Control API of the templates module (no auth, like all of /_emulator): what Meta decides on
 * its side about templates.
 *   GET  /_emulator/templates[?waba_id=]            every template as the emulator holds it
 *   GET  /_emulator/templates/{id}                  one template
 *   POST /_emulator/templates/{id}/review           {status: APPROVED|REJECTED, reason?, category?}
 *   POST /_emulator/templates/{id}/quality          {score: GREEN|YELLOW|RED|UNKNOWN}
 *   POST /_emulator/templates/{id}/pause            a quality pause now (3 h, 6 h, then DISABLED)
 *   GET  /_emulator/templates/reviewer              the reviewer's settings
 *   POST /_emulator/templates/reviewer              {delay_ms | delay_seconds, auto_review,
 *                                                    promotional_words, authentication_words,
 *                                                    banned_words: [{word, reason}]}
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, GraphError, TEMPLATE_CATEGORIES, invalidParameter, unknownObject, type TemplateCategory } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { ReviewerSettings } from './reviewer-settings.js';
import type { Template } from './template.js';
import { QUALITY_SCORES, pauseForQuality, setQuality } from './template-quality.js';
import { applyReview, scheduleReview } from './template-review.js';

const REJECTION_REASONS = ['ABUSIVE_CONTENT', 'INCORRECT_CATEGORY', 'INVALID_FORMAT', 'PROMOTIONAL', 'SCAM', 'TAG_CONTENT_MISMATCH'];
const BANNED_REASONS = ['ABUSIVE_CONTENT', 'SCAM', 'PROMOTIONAL', 'TAG_CONTENT_MISMATCH'] as const;

function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  return body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], name: string): T {
  const v = typeof value === 'string' ? value.toUpperCase() : undefined;
  if (!v || !(allowed as readonly string[]).includes(v)) throw invalidParameter(`${name} must be one of ${allowed.join(', ')}.`);
  return v as T;
}

function wordList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw invalidParameter(`${name} must be a list of strings.`);
  const words = value.filter((w): w is string => typeof w === 'string' && w.trim() !== '');
  if (words.length !== value.length) throw invalidParameter(`${name} must be a list of non-empty strings.`);
  return words;
}

export function describeTemplate(ctx: EmulatorContext, t: Template): Record<string, unknown> {
  return {
    id: t.id,
    waba_id: t.wabaId,
    name: t.name,
    language: t.language,
    category: t.category,
    ...(t.previousCategory ? { previous_category: t.previousCategory } : {}),
    parameter_format: t.parameterFormat,
    status: t.status,
    rejected_reason: t.rejectedReason,
    ...(t.rejectionInfo ? { rejection_info: t.rejectionInfo } : {}),
    quality_score: t.qualityScore,
    pause_count: t.pauseCount,
    paused_until: t.pausedUntil === undefined ? null : new Date(t.pausedUntil).toISOString(),
    review_pending: ctx.state.templates.timers.has(`${t.id}:review`),
    approved_edits: t.approvedEdits.map((at) => new Date(at).toISOString()),
    components: t.components,
  };
}

function presentSettings(s: ReviewerSettings): Record<string, unknown> {
  return {
    delay_ms: s.delayMs,
    auto_review: s.autoReview,
    promotional_words: s.promotionalWords,
    authentication_words: s.authenticationWords,
    banned_words: s.bannedWords,
  };
}

export function registerTemplateControlRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  const templateOf = (request: FastifyRequest): Template => {
    const { id } = request.params as { id: string };
    const t = ctx.state.templates.get(id);
    if (!t) throw unknownObject(id);
    return t;
  };

  app.get('/_emulator/templates', async (request) => {
    const { waba_id: wabaId } = (request.query ?? {}) as { waba_id?: string };
    const all = wabaId ? ctx.state.templates.ofWaba(wabaId) : [...ctx.state.templates.values()];
    return { data: all.map((t) => describeTemplate(ctx, t)) };
  });

  app.get('/_emulator/templates/reviewer', async () => presentSettings(ctx.state.templates.reviewer));

  app.post('/_emulator/templates/reviewer', async (request) => {
    const body = bodyOf(request);
    const store = ctx.state.templates;
    const next: ReviewerSettings = { ...store.reviewer };
    if (body.delay_ms !== undefined || body.delay_seconds !== undefined) {
      const ms = body.delay_ms !== undefined ? Number(body.delay_ms) : Number(body.delay_seconds) * 1_000;
      if (!Number.isFinite(ms) || ms < 0) throw invalidParameter('delay_ms (or delay_seconds) must be a non-negative number.');
      next.delayMs = ms;
    }
    if (body.auto_review !== undefined) {
      if (typeof body.auto_review !== 'boolean') throw invalidParameter('auto_review must be true or false.');
      next.autoReview = body.auto_review;
    }
    if (body.promotional_words !== undefined) next.promotionalWords = wordList(body.promotional_words, 'promotional_words');
    if (body.authentication_words !== undefined) next.authenticationWords = wordList(body.authentication_words, 'authentication_words');
    if (body.banned_words !== undefined) {
      if (!Array.isArray(body.banned_words)) throw invalidParameter('banned_words must be a list of {word, reason}.');
      next.bannedWords = body.banned_words.map((b: unknown) => {
        const entry = (b ?? {}) as Record<string, unknown>;
        if (typeof entry.word !== 'string' || entry.word === '') throw invalidParameter('Each banned word needs a word.');
        return { word: entry.word, reason: entry.reason === undefined ? 'ABUSIVE_CONTENT' : oneOf(entry.reason, BANNED_REASONS, 'banned_words[].reason') };
      });
    }
    store.reviewer = next;
    // Templates waiting for a decision follow the new settings (a shorter delay, auto review on).
    for (const t of store.values()) if (t.status === 'PENDING') scheduleReview(ctx, t);
    return presentSettings(next);
  });

  app.get('/_emulator/templates/:id', async (request) => describeTemplate(ctx, templateOf(request)));

  app.post('/_emulator/templates/:id/review', async (request) => {
    const t = templateOf(request);
    const body = bodyOf(request);
    const status = oneOf(body.status, ['APPROVED', 'REJECTED'] as const, 'status');
    const reason = status === 'APPROVED' ? 'NONE' : body.reason === undefined ? 'INVALID_FORMAT' : oneOf(body.reason, REJECTION_REASONS, 'reason');
    const category = body.category === undefined ? undefined : oneOf<TemplateCategory>(body.category, TEMPLATE_CATEGORIES, 'category');
    if (t.status === 'DISABLED') throw new GraphError(ErrorCode.InvalidParameter, { details: 'A DISABLED template can no longer be reviewed.' });
    applyReview(ctx, t, {
      status,
      reason,
      ...(category ? { category } : {}),
      ...(reason === 'INVALID_FORMAT' && typeof body.rejection_info === 'object' && body.rejection_info
        ? { rejectionInfo: body.rejection_info as { reason: string; recommendation: string } }
        : {}),
    });
    return describeTemplate(ctx, t);
  });

  app.post('/_emulator/templates/:id/quality', async (request) => {
    const t = templateOf(request);
    const body = bodyOf(request);
    setQuality(ctx, t, oneOf(body.score ?? body.quality_score, QUALITY_SCORES, 'score'));
    return describeTemplate(ctx, t);
  });

  app.post('/_emulator/templates/:id/pause', async (request) => {
    const t = templateOf(request);
    if (t.status !== 'APPROVED') throw new GraphError(ErrorCode.InvalidParameter, { details: `Only APPROVED templates can be paused; this one is ${t.status}.` });
    pauseForQuality(ctx, t);
    return describeTemplate(ctx, t);
  });
}
