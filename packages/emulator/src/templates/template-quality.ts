/**
 * Template quality and pausing (reference §5.1): new templates are UNKNOWN; when quality reaches
 * RED an approved template is paused — 3 h the first time, 6 h the second — and disabled the
 * third time. Pauses end by themselves on the emulator's clock, or through POST /{id}/unpause.
 */
import { TemplateLimits, type TemplateQualityScore } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { Template } from './template.js';
import { emitQualityUpdate, emitStatusUpdate } from './template-webhooks.js';

export const QUALITY_SCORES: readonly TemplateQualityScore[] = ['GREEN', 'YELLOW', 'RED', 'UNKNOWN'];

/**
 * A new quality signal. Each RED signal on an approved template counts as one more drop to RED
 * and pauses it, even when the score already was RED (the first pause leaves it RED).
 */
export function setQuality(ctx: EmulatorContext, t: Template, score: TemplateQualityScore): void {
  const previous = t.qualityScore;
  t.qualityScore = score;
  t.qualityUpdatedAt = ctx.clock.now();
  if (previous !== score) emitQualityUpdate(ctx, t, previous, score);
  if (score === 'RED' && t.status === 'APPROVED') pauseForQuality(ctx, t);
}

export function pauseForQuality(ctx: EmulatorContext, t: Template): void {
  const store = ctx.state.templates;
  t.pauseCount += 1;
  const duration = TemplateLimits.pauseDurationsMs[t.pauseCount - 1];
  if (duration === undefined) {
    store.cancelTimer(t.id, 'unpause');
    t.status = 'DISABLED';
    t.pausedUntil = undefined;
    emitStatusUpdate(ctx, t, {
      event: 'DISABLED',
      disableInfo: { disable_date: Math.floor(ctx.clock.now() / 1000) },
      otherInfo: { title: 'DISABLED', description: `Your ${t.name} template has been disabled after being paused ${t.pauseCount - 1} times for low quality.` },
    });
    return;
  }
  const until = ctx.clock.now() + duration;
  t.status = 'PAUSED';
  t.pausedUntil = until;
  const hours = duration / 3_600_000;
  emitStatusUpdate(ctx, t, {
    event: 'PAUSED',
    otherInfo: {
      title: t.pauseCount === 1 ? 'FIRST_PAUSE' : 'SECOND_PAUSE',
      description: `Your ${t.name} template has been paused for ${hours} hours until ${new Date(until).toISOString()} due to low quality.`,
    },
  });
  const id = t.id;
  store.setTimer(
    id,
    'unpause',
    ctx.clock.at(until, () => {
      store.timers.delete(`${id}:unpause`);
      const current = store.get(id);
      if (current) unpause(ctx, current);
    }),
  );
}

/** Ends a pause (automatically or by POST /{id}/unpause); false when the template was not paused. */
export function unpause(ctx: EmulatorContext, t: Template): boolean {
  if (t.status !== 'PAUSED') return false;
  ctx.state.templates.cancelTimer(t.id, 'unpause');
  t.status = 'APPROVED';
  t.pausedUntil = undefined;
  emitStatusUpdate(ctx, t, {
    event: 'APPROVED',
    otherInfo: { title: 'UNPAUSE', description: `Your ${t.name} template has been unpaused and can be sent again.` },
  });
  return true;
}
