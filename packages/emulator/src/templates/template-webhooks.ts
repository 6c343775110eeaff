/**
 * The template webhooks (reference §2.5): status updates, category updates, quality updates and
 * component updates. Template ids are integers in these payloads, unlike everywhere else.
 */
import type { EmulatorContext } from '../context.js';
import type { Template } from './template.js';

export interface StatusUpdate {
  event: string;
  /** "NONE" for most events; null for deletions. */
  reason?: string | null;
  rejectionInfo?: { reason: string; recommendation: string };
  otherInfo?: { title: string; description: string };
  disableInfo?: { disable_date: number };
}

/**
 * Template ids from newTemplateId always fit a JSON number; an id made elsewhere (a fixture) that
 * does not is sent as a string rather than silently rounded.
 */
const templateIdValue = (id: string): number | string => (Number.isSafeInteger(Number(id)) ? Number(id) : id);

const identity = (t: Template) => ({
  message_template_id: templateIdValue(t.id),
  message_template_name: t.name,
  message_template_language: t.language,
});

export function emitStatusUpdate(ctx: EmulatorContext, t: Template, update: StatusUpdate): void {
  ctx.webhooks.emit({
    wabaId: t.wabaId,
    field: 'message_template_status_update',
    value: {
      event: update.event,
      ...identity(t),
      reason: update.reason === undefined ? 'NONE' : update.reason,
      message_template_category: t.category,
      ...(update.rejectionInfo ? { rejection_info: update.rejectionInfo } : {}),
      ...(update.disableInfo ? { disable_info: update.disableInfo } : {}),
      ...(update.otherInfo ? { other_info: update.otherInfo } : {}),
    },
  });
}

export function emitCategoryUpdate(ctx: EmulatorContext, t: Template, previous: string, next: string): void {
  ctx.webhooks.emit({
    wabaId: t.wabaId,
    field: 'template_category_update',
    value: { ...identity(t), previous_category: previous, new_category: next },
  });
}

export function emitQualityUpdate(ctx: EmulatorContext, t: Template, previous: string, next: string): void {
  ctx.webhooks.emit({
    wabaId: t.wabaId,
    field: 'message_template_quality_update',
    value: { previous_quality_score: previous, new_quality_score: next, ...identity(t) },
  });
}

/** Sent when an edit that changed the components is approved. */
export function emitComponentsUpdate(ctx: EmulatorContext, t: Template): void {
  const find = (type: string) => t.components.find((c) => c.type === type);
  const header = find('HEADER');
  const footer = find('FOOTER');
  const buttons = find('BUTTONS')?.buttons;
  ctx.webhooks.emit({
    wabaId: t.wabaId,
    field: 'message_template_components_update',
    value: {
      ...identity(t),
      message_template_element: typeof find('BODY')?.text === 'string' ? find('BODY')?.text : '',
      ...(typeof header?.text === 'string' ? { message_template_title: header.text } : {}),
      ...(typeof footer?.text === 'string' ? { message_template_footer: footer.text } : {}),
      ...(Array.isArray(buttons)
        ? {
            message_template_buttons: buttons.map((b: Record<string, unknown>) => ({
              message_template_button_type: b.type,
              message_template_button_text: b.text,
              ...(typeof b.url === 'string' ? { message_template_button_url: b.url } : {}),
              ...(typeof b.phone_number === 'string' ? { message_template_button_phone_number: b.phone_number } : {}),
            })),
          }
        : {}),
    },
  });
}
