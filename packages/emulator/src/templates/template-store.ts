/**
 * The templates map of the emulator's state, with the indexes the hot path needs: the send path
 * looks a template up by WABA + name + language on every template message, so that is O(1).
 * It also keeps what belongs to templates but not to one template — deleted-name cooldowns,
 * creation times for the hourly cap, clock timers, reviewer settings — so /_emulator/reset
 * (which clears every Map of the state) clears them too.
 */
import type { Template } from './template.js';
import { defaultReviewerSettings, type ReviewerSettings } from './reviewer-settings.js';

export const templateKey = (wabaId: string, name: string, language: string): string => `${wabaId}\u0000${name}\u0000${language}`;

export class TemplateStore extends Map<string, Template> {
  readonly #byKey = new Map<string, string>();
  readonly #byWaba = new Map<string, Set<string>>();
  #seq = 0;
  /** templateKey → time until which the name and language can't be reused (deleted approved templates). */
  readonly cooldowns = new Map<string, number>();
  /** WABA id → creation times within the last hour. */
  readonly creations = new Map<string, number[]>();
  /** `${templateId}:${kind}` → cancels a pending clock timer (review, unpause). */
  readonly timers = new Map<string, () => void>();
  reviewer: ReviewerSettings = defaultReviewerSettings();

  override set(id: string, template: Template): this {
    const previous = super.get(id);
    if (previous) this.#unindex(id, previous);
    if (template.seq === undefined) template.seq = ++this.#seq;
    else this.#seq = Math.max(this.#seq, template.seq);
    super.set(id, template);
    this.#byKey.set(templateKey(template.wabaId, template.name, template.language), id);
    let ids = this.#byWaba.get(template.wabaId);
    if (!ids) this.#byWaba.set(template.wabaId, (ids = new Set()));
    ids.add(id);
    return this;
  }

  override delete(id: string): boolean {
    const template = super.get(id);
    if (!template) return false;
    this.#unindex(id, template);
    this.cancelTimers(id);
    return super.delete(id);
  }

  override clear(): void {
    super.clear();
    this.#byKey.clear();
    this.#byWaba.clear();
    this.cooldowns.clear();
    this.creations.clear();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.reviewer = defaultReviewerSettings();
  }

  /** The template with this name and language in the WABA. */
  find(wabaId: string, name: string, language: string): Template | undefined {
    const id = this.#byKey.get(templateKey(wabaId, name, language));
    return id === undefined ? undefined : super.get(id);
  }

  /** The WABA's templates, newest first. */
  ofWaba(wabaId: string): Template[] {
    const out: Template[] = [];
    for (const id of this.#byWaba.get(wabaId) ?? []) {
      const template = super.get(id);
      if (template) out.push(template);
    }
    return out.sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
  }

  countOfWaba(wabaId: string): number {
    return this.#byWaba.get(wabaId)?.size ?? 0;
  }

  /** Registers a clock timer for a template, replacing (and cancelling) one of the same kind. */
  setTimer(id: string, kind: string, cancel: () => void): void {
    this.cancelTimer(id, kind);
    this.timers.set(`${id}:${kind}`, cancel);
  }

  cancelTimer(id: string, kind: string): void {
    const key = `${id}:${kind}`;
    this.timers.get(key)?.();
    this.timers.delete(key);
  }

  cancelTimers(id: string): void {
    for (const kind of ['review', 'unpause']) this.cancelTimer(id, kind);
  }

  #unindex(id: string, template: Template): void {
    const key = templateKey(template.wabaId, template.name, template.language);
    if (this.#byKey.get(key) === id) this.#byKey.delete(key);
    const ids = this.#byWaba.get(template.wabaId);
    ids?.delete(id);
    if (ids?.size === 0) this.#byWaba.delete(template.wabaId);
  }
}
