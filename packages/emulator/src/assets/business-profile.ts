/**
 * The business profile shown to WhatsApp users (reference §1.5):
 *   GET  /{phone-number-id}/whatsapp_business_profile?fields=…  → {data:[{…, messaging_product:"whatsapp"}]}
 *   POST /{phone-number-id}/whatsapp_business_profile           → {success:true}
 * Limits: about 1–139, address ≤ 256, description ≤ 512 (the reference; Meta's OpenAPI says 256),
 * email ≤ 128, websites ≤ 2 of ≤ 256 with http(s), vertical from Meta's enum. An empty string
 * (or [] for websites) clears a field, except `about`, which cannot be empty.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { invalidParameter } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { BusinessProfile } from '../state/types.js';
import { phoneCall } from './access.js';
import { present } from './fields.js';
import { idParam, optionalList, optionalString, paramsOf, requiredString, type Params } from './params.js';

export const VERTICALS = [
  'ALCOHOL', 'APPAREL', 'AUTO', 'BEAUTY', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE', 'GOVT', 'GROCERY', 'HEALTH',
  'HOTEL', 'NONPROFIT', 'ONLINE_GAMBLING', 'OTC_DRUGS', 'OTHER', 'PHYSICAL_GAMBLING', 'PROF_SERVICES', 'RESTAURANT',
  'RETAIL', 'TRAVEL',
] as const;

const PROFILE_FIELDS = ['about', 'address', 'description', 'email', 'profile_picture_url', 'websites', 'vertical'] as const;
const LIMITS = { about: 139, address: 256, description: 512, email: 128 } as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function registerBusinessProfileRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/:id/whatsapp_business_profile', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    const profile = phone.profile;
    const presenters: Record<string, () => unknown> = { messaging_product: () => 'whatsapp' };
    for (const field of PROFILE_FIELDS) presenters[field] = () => profile[field];
    const defaults = [...PROFILE_FIELDS.filter((f) => profile[f] !== undefined), 'messaging_product'];
    const shown = present(presenters, paramsOf(request).fields, defaults, 'WhatsAppBusinessProfile');
    return { data: [{ ...shown, messaging_product: 'whatsapp' }] };
  });

  app.post('/:id/whatsapp_business_profile', async (request) => {
    const { phone } = phoneCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    if (requiredString(params, 'messaging_product') !== 'whatsapp') throw invalidParameter('Param messaging_product must be "whatsapp".');
    const update = validateProfile(params);
    const next: BusinessProfile = { ...phone.profile, ...update };
    for (const key of Object.keys(next) as Array<keyof BusinessProfile>) if (next[key] === undefined) delete next[key];
    phone.profile = next;
    return { success: true };
  });
}

/** Every given field checked before anything changes; undefined in the result clears a field. */
function validateProfile(params: Params): Partial<BusinessProfile> {
  const update: Partial<BusinessProfile> = {};
  for (const field of ['about', 'address', 'description', 'email'] as const) {
    const value = optionalString(params, field);
    if (value === undefined) continue;
    if (value.length > LIMITS[field]) throw invalidParameter(`Param ${field} must be at most ${LIMITS[field]} characters.`);
    if (field === 'about' && value.trim() === '') throw invalidParameter('Param about must be 1 to 139 characters.');
    if (field === 'email' && value !== '' && !EMAIL.test(value)) throw invalidParameter('Param email must be a valid email address.');
    update[field] = value === '' ? undefined : value;
  }
  if (params.websites !== undefined) {
    const websites = optionalList(params, 'websites') ?? [];
    if (websites.length > 2) throw invalidParameter('Param websites takes at most 2 URLs.');
    for (const site of websites) {
      if (site.length > 256 || !/^https?:\/\/[^\s]+$/i.test(site)) {
        throw invalidParameter('Each of websites must be an http:// or https:// URL of at most 256 characters.');
      }
    }
    update.websites = websites.length > 0 ? websites : undefined;
  }
  const vertical = optionalString(params, 'vertical');
  if (vertical !== undefined) {
    if (vertical !== '' && !(VERTICALS as readonly string[]).includes(vertical)) {
      throw invalidParameter(`Param vertical must be one of ${VERTICALS.join(', ')}.`);
    }
    update.vertical = vertical === '' ? undefined : vertical;
  }
  const handle = optionalString(params, 'profile_picture_handle');
  if (handle !== undefined) {
    if (handle.trim() === '') throw invalidParameter('Param profile_picture_handle must be a resumable-upload handle.');
    // Meta serves profile pictures from its CDN; the emulator only keeps a stable URL per handle.
    const digest = createHash('sha256').update(handle).digest('hex').slice(0, 32);
    update.profile_picture_url = `https://pps.whatsapp.net/v/t61.24694-24/${digest}_n.jpg`;
  }
  return update;
}
