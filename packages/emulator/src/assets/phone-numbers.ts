/**
 * Phone numbers as Graph nodes and as the `phone_numbers` edge of a WABA (reference §1.4, §2.6):
 *   GET  /{phone-number-id}?fields=…      the number, field by field
 *   POST /{phone-number-id}               `pin` (two-step PIN), `webhook_configuration` (override
 *                                         URL, verified by handshake first; "" clears), `new_display_name`
 *   GET  /{waba-id}/phone_numbers         the WABA's numbers, paged, filtered, sorted
 *   POST /{waba-id}/phone_numbers         adds a number: PENDING, NOT_VERIFIED, name in review
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode, GraphError, invalidParameter, toWaId } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { Principal } from '../graph/auth.js';
import type { PhoneNumber } from '../state/types.js';
import { verifyCallback } from '../webhooks/verify-callback.js';
import { phoneCall, wabaCall } from './access.js';
import { countryDialCode, createPhoneNumber } from './create-assets.js';
import { requestDisplayName, validateDisplayName } from './display-name.js';
import { present } from './fields.js';
import { paginate } from './paging.js';
import { idParam, optionalBoolean, optionalObject, optionalString, paramsOf, requiredString } from './params.js';
import { PHONE_DEFAULT_FIELDS, PHONE_NODE_TYPE, phonePresenters } from './phone-number-presenter.js';

/** Meta's cap on override URLs (reference §4.4). */
export const OVERRIDE_URL_MAX = 200;
export const PIN_PATTERN = /^\d{6}$/;

export function registerPhoneNumberRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  ctx.nodes.register({
    name: 'phone_number',
    has: (id) => ctx.state.phoneNumbers.has(id),
    get: async (id, request) => {
      const { principal, phone } = phoneCall(ctx, request, id);
      return present(phonePresenters(ctx, phone, principal), paramsOf(request).fields, PHONE_DEFAULT_FIELDS, PHONE_NODE_TYPE);
    },
    post: async (id, request) => {
      const { principal, phone } = phoneCall(ctx, request, id);
      return updatePhoneNumber(ctx, principal, phone, paramsOf(request));
    },
  });

  app.get('/:id/phone_numbers', async (request) => {
    const { principal, waba } = wabaCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    const fields = params.fields;
    let phones = ctx.state.phonesOfWaba(waba.id);
    phones = applyFiltering(ctx, principal, phones, params.filtering);
    const ascending = typeof params.sort === 'string' && /last_onboarded_time(_ascending|\.asc)/.test(params.sort);
    phones.sort((a, b) => (ascending ? a.lastOnboardedTime - b.lastOnboardedTime : b.lastOnboardedTime - a.lastOnboardedTime));
    return paginate(ctx, request, phones, (p) => p.id, (p) => present(phonePresenters(ctx, p, principal), fields, PHONE_DEFAULT_FIELDS, PHONE_NODE_TYPE));
  });

  app.post('/:id/phone_numbers', async (request) => {
    const { waba } = wabaCall(ctx, request, idParam(request));
    const params = paramsOf(request);
    if (optionalBoolean(params, 'migrate_phone_number')) {
      throw invalidParameter('migrate_phone_number is not supported by the emulator yet: add the number without it, then verify and register it.');
    }
    if (optionalString(params, 'preverified_id') !== undefined) {
      throw invalidParameter('preverified_id is not supported by the emulator yet: add the number with cc and phone_number instead.');
    }
    const cc = requiredString(params, 'cc').replace(/^\+/, '');
    if (!/^\d{1,3}$/.test(cc)) throw invalidParameter('Param cc must be a country calling code of 1 to 3 digits.');
    const number = requiredString(params, 'phone_number');
    const verifiedName = validateDisplayName(requiredString(params, 'verified_name'), 'verified_name');
    const digits = number.replace(/[\s\-().+]/g, '');
    if (!/^\d{4,15}$/.test(digits)) throw invalidParameter('Param phone_number must be the number\'s digits, without the country code.');
    const waId = toWaId(digits, cc);
    if (!waId || countryDialCode(waId) !== cc) throw invalidParameter(`Param phone_number is not a valid number for country calling code ${cc}.`);
    const existing = [...ctx.state.phoneNumbers.values()].find((p) => p.waId === waId && p.status !== 'MIGRATED');
    if (existing) {
      throw new GraphError(ErrorCode.InvalidParameter, {
        details: `The phone number +${waId} is already added to a WhatsApp Business Account. Numbers move between WABAs by migration.`,
      });
    }
    const phone = createPhoneNumber(ctx, { wabaId: waba.id, waId, verifiedName });
    requestDisplayName(ctx, phone, verifiedName, 'initial');
    return { id: phone.id };
  });
}

/** `POST /{phone-number-id}`: validates everything, performs the handshake, then applies. */
async function updatePhoneNumber(ctx: EmulatorContext, principal: Principal, phone: PhoneNumber, params: Record<string, unknown>) {
  const pin = optionalString(params, 'pin');
  if (pin !== undefined && !PIN_PATTERN.test(pin)) {
    throw invalidParameter('Param pin must be a 6-digit number. Two-step verification cannot be disabled through the API.');
  }
  const newName = optionalString(params, 'new_display_name');
  const name = newName !== undefined ? validateDisplayName(newName, 'new_display_name') : undefined;
  const config = optionalObject(params, 'webhook_configuration');
  let override: { callbackUrl: string; verifyToken: string } | null | undefined;
  if (config) {
    const uri = optionalString(config, 'override_callback_uri');
    if (uri === undefined) throw invalidParameter('Param webhook_configuration[override_callback_uri] is required.');
    if (uri === '') override = null;
    else {
      if (uri.length > OVERRIDE_URL_MAX) throw invalidParameter(`Param webhook_configuration[override_callback_uri] must be at most ${OVERRIDE_URL_MAX} characters.`);
      const verifyToken = optionalString(config, 'verify_token');
      if (!verifyToken) throw invalidParameter('Param webhook_configuration[verify_token] is required with an override_callback_uri.');
      const waba = ctx.state.wabas.get(phone.wabaId);
      if (!waba?.subscribedApps.has(principal.app.id)) {
        throw invalidParameter('Subscribe the app to the WhatsApp Business Account (POST /{waba-id}/subscribed_apps) before setting a callback override.');
      }
      override = { callbackUrl: uri, verifyToken };
    }
  }
  if (pin === undefined && name === undefined && override === undefined) {
    throw invalidParameter('Nothing to update: give pin, webhook_configuration or new_display_name.');
  }
  if (override) await verifyCallback(override.callbackUrl, override.verifyToken);

  if (override === null) delete phone.webhookOverride;
  else if (override) phone.webhookOverride = override;
  if (pin !== undefined) {
    phone.pin = pin;
    ctx.webhooks.emit({
      wabaId: phone.wabaId,
      field: 'security',
      value: {
        display_phone_number: phone.waId,
        event: 'PIN_CHANGED',
        requester: principal.kind === 'user' ? (principal.token.userId ?? principal.token.businessId) : principal.app.id,
      },
    });
  }
  if (name !== undefined) requestDisplayName(ctx, phone, name, 'change');
  return { success: true };
}

/** `filtering=[{"field":"account_mode","operator":"EQUAL","value":"LIVE"}]` (EQUAL, NOT_EQUAL, IN). */
function applyFiltering(ctx: EmulatorContext, principal: Principal, phones: PhoneNumber[], filtering: unknown): PhoneNumber[] {
  if (filtering === undefined) return phones;
  let rules: unknown = filtering;
  if (typeof rules === 'string') {
    try {
      rules = JSON.parse(rules);
    } catch {
      throw invalidParameter('Param filtering must be a JSON array of {field, operator, value}.');
    }
  }
  if (!Array.isArray(rules)) throw invalidParameter('Param filtering must be a JSON array of {field, operator, value}.');
  return phones.filter((phone) => {
    const shown = phonePresenters(ctx, phone, principal);
    return rules.every((rule: unknown) => {
      const { field, operator, value } = (rule ?? {}) as { field?: unknown; operator?: unknown; value?: unknown };
      const presenter = typeof field === 'string' ? shown[field] : undefined;
      if (!presenter) throw invalidParameter(`Param filtering has an unknown field ${String(field)}.`);
      const actual = presenter();
      const op = typeof operator === 'string' ? operator.toUpperCase() : 'EQUAL';
      if (op === 'EQUAL') return actual === value;
      if (op === 'NOT_EQUAL') return actual !== value;
      if (op === 'IN' && Array.isArray(value)) return value.includes(actual);
      throw invalidParameter(`Param filtering has an unsupported operator ${String(operator)}; use EQUAL, NOT_EQUAL or IN.`);
    });
  });
}
