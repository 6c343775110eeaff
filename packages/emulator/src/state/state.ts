/**
 * All of the emulator's state, in memory. Histories (messages, media, user inboxes) are bounded so
 * that a benchmark of millions of messages keeps memory flat.
 */
import type { Media } from '../media/media.js';
import type { Message } from '../messaging/message.js';
import type { Template } from '../templates/template.js';
import type { SimUser } from '../users/sim-user.js';
import { BoundedMap } from './bounded.js';
import type { AccessToken, App, Business, PhoneNumber, Waba } from './types.js';

export const MESSAGE_HISTORY_LIMIT = 200_000;
export const MEDIA_LIMIT = 10_000;
export const USER_LIMIT = 100_000;

export class EmulatorState {
  apps = new Map<string, App>();
  tokens = new Map<string, AccessToken>();
  businesses = new Map<string, Business>();
  wabas = new Map<string, Waba>();
  phoneNumbers = new Map<string, PhoneNumber>();
  templates = new Map<string, Template>();
  messages = new BoundedMap<string, Message>(MESSAGE_HISTORY_LIMIT);
  media = new BoundedMap<string, Media>(MEDIA_LIMIT);
  users = new BoundedMap<string, SimUser>(USER_LIMIT);

  reset(): void {
    for (const value of Object.values(this)) if (value instanceof Map) value.clear();
  }

  phonesOfWaba(wabaId: string): PhoneNumber[] {
    return [...this.phoneNumbers.values()].filter((p) => p.wabaId === wabaId);
  }

  wabasOfBusiness(businessId: string): Waba[] {
    return [...this.wabas.values()].filter((w) => w.businessId === businessId);
  }
}
