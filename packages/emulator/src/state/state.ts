/**
 * All of the emulator's state, in memory. Histories (messages, media, user inboxes) are bounded so
 * that a benchmark of millions of messages keeps memory flat.
 */
import type { FaultRule } from '../control/faults.js';
import type { Media } from '../media/media.js';
import type { Message } from '../messaging/message.js';
import { TemplateStore } from '../templates/template-store.js';
import type { SimUser } from '../users/sim-user.js';
import { BoundedMap } from './bounded.js';
import type { AccessToken, App, Business, PhoneNumber, SystemUser, Waba } from './types.js';

export const MESSAGE_HISTORY_LIMIT = 200_000;
export const MEDIA_LIMIT = 10_000;
export const USER_LIMIT = 100_000;

export class EmulatorState {
  apps = new Map<string, App>();
  tokens = new Map<string, AccessToken>();
  systemUsers = new Map<string, SystemUser>();
  businesses = new Map<string, Business>();
  wabas = new Map<string, Waba>();
  phoneNumbers = new Map<string, PhoneNumber>();
  templates = new TemplateStore();
  messages = new BoundedMap<string, Message>(MESSAGE_HISTORY_LIMIT);
  media = new BoundedMap<string, Media>(MEDIA_LIMIT);
  users = new BoundedMap<string, SimUser>(USER_LIMIT);
  /** Fault-injection rules of the control API, in match order (control/faults.ts). */
  faults = new Map<string, FaultRule>();

  readonly #resetListeners: Array<() => void> = [];

  /** Modules that keep state outside these maps (timers, rate buckets) forget it on reset. */
  onReset(listener: () => void): void {
    this.#resetListeners.push(listener);
  }

  reset(): void {
    for (const value of Object.values(this)) if (value instanceof Map) value.clear();
    for (const listener of this.#resetListeners) listener();
  }

  phonesOfWaba(wabaId: string): PhoneNumber[] {
    return [...this.phoneNumbers.values()].filter((p) => p.wabaId === wabaId);
  }

  wabasOfBusiness(businessId: string): Waba[] {
    return [...this.wabas.values()].filter((w) => w.businessId === businessId);
  }
}
