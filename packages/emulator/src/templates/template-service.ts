/**
 * Creating, editing and deleting templates with Meta's account-level rules (reference §1.3, §4.3):
 * a name and language exist once per WABA (2388024); a deleted approved template's name and
 * language are blocked for 30 days (2388023); at most 100 creations per WABA per hour; at most
 * 250 templates per WABA for an unverified business, 6,000 for a verified one (2388019).
 */
import { randomInt } from 'node:crypto';
import {
  ErrorCode,
  GraphError,
  TemplateLimits,
  TemplateSubcode,
  invalidParameter,
  validateTemplateEdit,
  validateTemplateRequest,
  type TemplateDefinition,
} from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { Waba } from '../state/types.js';
import type { Template, TemplateStatus } from './template.js';
import { templateKey } from './template-store.js';
import { scheduleReview } from './template-review.js';
import { emitStatusUpdate } from './template-webhooks.js';

/**
 * A fresh 16-digit template id. The first digit stays below 9 so the id fits a JSON number
 * exactly (below 2^53): template webhooks carry ids as integers (reference §2.5).
 */
export function newTemplateId(ctx: EmulatorContext): string {
  const s = ctx.state;
  for (;;) {
    const id = String(randomInt(1, 9)) + String(randomInt(0, 1e8)).padStart(8, '0') + String(randomInt(0, 1e7)).padStart(7, '0');
    if (!s.templates.has(id) && !s.wabas.has(id) && !s.phoneNumbers.has(id) && !s.media.has(id) && !s.businesses.has(id) && !s.apps.has(id)) return id;
  }
}

/** The stored template's definition in wire's shape (what validation produced at creation). */
export function definitionOf(t: Template): TemplateDefinition {
  return {
    name: t.name,
    language: t.language,
    category: t.category,
    parameter_format: t.parameterFormat,
    components: t.components as unknown as TemplateDefinition['components'],
    ...(t.messageSendTtlSeconds !== undefined ? { message_send_ttl_seconds: t.messageSendTtlSeconds } : {}),
    ...(t.ctaUrlLinkTrackingOptedOut !== undefined ? { cta_url_link_tracking_opted_out: t.ctaUrlLinkTrackingOptedOut } : {}),
  };
}

function applyDefinition(t: Template, d: TemplateDefinition): void {
  t.category = d.category;
  t.parameterFormat = d.parameter_format;
  t.components = d.components as unknown as Array<Record<string, unknown>>;
  t.messageSendTtlSeconds = d.message_send_ttl_seconds;
  t.ctaUrlLinkTrackingOptedOut = d.cta_url_link_tracking_opted_out;
}

function templateLimit(ctx: EmulatorContext, waba: Waba): number {
  const business = ctx.state.businesses.get(waba.businessId);
  return business?.verificationStatus === 'verified' ? TemplateLimits.templatesPerWabaVerified : TemplateLimits.templatesPerWabaUnverified;
}

export function createTemplate(ctx: EmulatorContext, waba: Waba, input: unknown): Template {
  const definition = validateTemplateRequest(input);
  const store = ctx.state.templates;
  const now = ctx.clock.now();
  const { name, language } = definition;

  if (store.find(waba.id, name, language)) {
    throw new GraphError(ErrorCode.InvalidParameter, {
      subcode: TemplateSubcode.AlreadyExists,
      details: `A template named ${name} already exists in ${language}.`,
      userTitle: 'Content in This Language Already Exists',
      userMessage: `There's already ${language} content for this template. You can create a new template and try again.`,
    });
  }
  const key = templateKey(waba.id, name, language);
  const blockedUntil = store.cooldowns.get(key);
  if (blockedUntil !== undefined && blockedUntil > now) {
    const days = Math.ceil((blockedUntil - now) / 86_400_000);
    throw new GraphError(ErrorCode.InvalidParameter, {
      subcode: TemplateSubcode.LanguageBeingDeleted,
      details: `${name} (${language}) was deleted while approved and can't be reused for ${days} more day(s).`,
      userTitle: 'Message Template Language Is Being Deleted',
      userMessage: `New ${language} content can't be added while the existing ${language} content is being deleted. Try again in ${days} days or consider creating a new message template.`,
    });
  }
  if (blockedUntil !== undefined) store.cooldowns.delete(key);

  const recent = (store.creations.get(waba.id) ?? []).filter((t) => now - t < TemplateLimits.creationWindowMs);
  if (recent.length >= TemplateLimits.creationsPerWabaPerHour) {
    throw new GraphError(ErrorCode.WabaCallsRateLimit, {
      details: `At most ${TemplateLimits.creationsPerWabaPerHour} templates can be created per WhatsApp Business Account per hour; try again later.`,
    });
  }
  const limit = templateLimit(ctx, waba);
  if (store.countOfWaba(waba.id) >= limit) {
    throw new GraphError(ErrorCode.InvalidParameter, {
      subcode: TemplateSubcode.LimitExceeded,
      details: `This WhatsApp Business Account has reached its limit of ${limit} message templates.`,
      userTitle: 'Message Template Limit Exceeded',
      userMessage: `You have reached the limit of ${limit} message templates. Delete templates you no longer use, or verify your business to raise the limit.`,
    });
  }

  const t: Template = {
    id: newTemplateId(ctx),
    wabaId: waba.id,
    name,
    language,
    category: definition.category,
    parameterFormat: definition.parameter_format,
    components: [],
    status: 'PENDING',
    rejectedReason: 'NONE',
    qualityScore: 'UNKNOWN',
    pauseCount: 0,
    createdAt: now,
    approvedEdits: [],
  };
  applyDefinition(t, definition);
  store.set(t.id, t);
  recent.push(now);
  store.creations.set(waba.id, recent);
  scheduleReview(ctx, t);
  return t;
}

/** Edits a template; the new content goes back to review when it changed (reference §1.3). */
export function editTemplate(ctx: EmulatorContext, t: Template, input: unknown): void {
  const now = ctx.clock.now();
  const before = definitionOf(t);
  const wasApproved = t.status === 'APPROVED';
  const next = validateTemplateEdit({ definition: before, status: t.status, approvedEdits: t.approvedEdits }, input, now);
  if (wasApproved) t.approvedEdits = [...t.approvedEdits.filter((at) => now - at < TemplateLimits.approvedEditWindowMs), now];
  const componentsChanged = JSON.stringify(next.components) !== JSON.stringify(before.components);
  const needsReview = componentsChanged || next.category !== before.category || next.parameter_format !== before.parameter_format;
  applyDefinition(t, next);
  if (!needsReview) return;
  if (componentsChanged) t.componentsEdited = true;
  ctx.state.templates.cancelTimer(t.id, 'unpause');
  t.status = 'PENDING';
  t.pausedUntil = undefined;
  t.rejectedReason = 'NONE';
  t.rejectionInfo = undefined;
  scheduleReview(ctx, t);
}

export interface DeleteQuery {
  name?: unknown;
  hsm_id?: unknown;
  hsm_ids?: unknown;
}

const notFound = (what: string) =>
  new GraphError(ErrorCode.InvalidParameter, {
    details: `${what} was not found in this WhatsApp Business Account.`,
    userTitle: 'Message Template Not Found',
    userMessage: `${what} could not be found.`,
  });

/** Which templates a DELETE names: all languages of `name`, one `hsm_id`, or a list of `hsm_ids`. */
function deletionTargets(ctx: EmulatorContext, waba: Waba, query: DeleteQuery): Template[] {
  const store = ctx.state.templates;
  const mine = (id: unknown) => {
    const t = typeof id === 'string' || typeof id === 'number' ? store.get(String(id)) : undefined;
    return t && t.wabaId === waba.id ? t : undefined;
  };
  if (query.hsm_ids !== undefined) {
    let ids: unknown = query.hsm_ids;
    if (typeof ids === 'string') {
      const text = ids;
      try {
        ids = JSON.parse(text);
      } catch {
        ids = text.split(',').map((part) => part.trim());
      }
    }
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100) throw invalidParameter('hsm_ids must be a list of 1 to 100 template ids.');
    const targets: Template[] = [];
    for (const id of ids) {
      const t = mine(id);
      if (!t) throw notFound(`Template ${String(id)}`);
      targets.push(t);
    }
    return targets;
  }
  if (typeof query.name !== 'string' || query.name === '') {
    throw new GraphError(ErrorCode.InvalidParameter, { message: '(#100) The parameter name is required.', details: 'The parameter name is required.' });
  }
  const name = query.name;
  if (query.hsm_id !== undefined) {
    const t = mine(query.hsm_id);
    if (!t || t.name !== name) throw notFound(`Template ${typeof query.hsm_id === 'string' ? query.hsm_id : JSON.stringify(query.hsm_id)} named ${name}`);
    return [t];
  }
  const all = store.ofWaba(waba.id).filter((t) => t.name === name);
  if (all.length === 0) throw notFound(`A template named ${name}`);
  return all;
}

const ONCE_APPROVED: readonly TemplateStatus[] = ['APPROVED', 'PAUSED'];

export function deleteTemplates(ctx: EmulatorContext, waba: Waba, query: DeleteQuery): void {
  const targets = deletionTargets(ctx, waba, query);
  const disabled = targets.find((t) => t.status === 'DISABLED');
  if (disabled) {
    // Refuse the whole request: bad input changes nothing.
    throw new GraphError(ErrorCode.InvalidParameter, {
      details: `Template ${disabled.name} (${disabled.language}) is DISABLED; disabled templates can't be deleted.`,
      userTitle: "Disabled Templates Can't Be Deleted",
      userMessage: "This message template is disabled and can't be deleted.",
    });
  }
  const store = ctx.state.templates;
  const now = ctx.clock.now();
  for (const t of targets) {
    if (ONCE_APPROVED.includes(t.status)) store.cooldowns.set(templateKey(t.wabaId, t.name, t.language), now + TemplateLimits.deletedNameCooldownMs);
    store.delete(t.id);
    t.status = 'DELETED';
    emitStatusUpdate(ctx, t, { event: 'DELETED', reason: null });
  }
}
