/**
 * `POST /_emulator/fixtures`: one call makes a ready sandbox, the state a developer has after
 * Meta's "Get started" plus a registered number:
 *   an app (id, secret), a verified business (TIER_2K), a WABA subscribed by the app, a system
 *   user whose access token reaches the WABA, a CONNECTED number on the Cloud API (a random
 *   +1 555 number unless one is given), and two APPROVED templates: `hello_world` (no variables)
 *   and `order_confirmation` ("Hello {{1}}, your order {{2}} is confirmed."), both en_US UTILITY.
 *
 * Optional body fields: app_id, app_secret (an existing app is reused when both match),
 * access_token, business_id (an existing business gets another WABA; an unknown id is created),
 * waba_id and phone_number_id (ids to create with, so a restarted emulator can rebuild the same
 * sandbox), business_name, waba_name, verified_name, display_phone_number or phone_number, pin,
 * messaging_limit_tier, throughput_level, webhook_version, callback_url (+ verify_token, fields):
 * subscribe the app to `whatsapp_business_account` at once, after Meta's handshake. Nothing is
 * created when a value is invalid, an id is taken, or the handshake fails.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { GRAPH_ID, invalidParameter, toWaId } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import type { App, Business, MessagingLimitTier } from '../state/types.js';
import type { Template } from '../templates/template.js';
import { newTemplateId } from '../templates/template-service.js';
import { verifyCallback } from '../webhooks/verify-callback.js';
import { TIERS } from '../assets/asset-controls.js';
import {
  createAccessToken,
  createApp,
  createBusiness,
  createPhoneNumber,
  createSystemUser,
  createWaba,
  DEFAULT_WEBHOOK_VERSION,
  HIGH_MPS,
  idInUse,
  randomTestNumber,
} from '../assets/create-assets.js';
import { optionalList, optionalString, paramsOf, type Params } from '../assets/params.js';
import { PIN_PATTERN } from '../assets/phone-numbers.js';
import { WABA_WEBHOOK_FIELDS } from '../assets/webhook-fields.js';

export interface FixtureResult {
  app_id: string;
  app_secret: string;
  access_token: string;
  verify_token: string;
  business_id: string;
  waba_id: string;
  phone_number_id: string;
  display_phone_number: string;
  wa_id: string;
  pin: string;
  system_user_id: string;
  callback_url: string | null;
  templates: Array<{ id: string; name: string; language: string; category: string; status: string }>;
}

export function registerFixtureRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.post('/_emulator/fixtures', async (request) => createFixture(ctx, paramsOf(request)));
}

export async function createFixture(ctx: EmulatorContext, params: Params): Promise<FixtureResult> {
  const plan = planFixture(ctx, params);
  if (plan.callbackUrl) await verifyCallback(plan.callbackUrl, plan.verifyToken);

  const theApp =
    plan.existingApp ??
    createApp(ctx, {
      ...(plan.appId ? { id: plan.appId } : {}),
      ...(plan.appSecret ? { secret: plan.appSecret } : {}),
      webhookVersion: plan.webhookVersion ?? DEFAULT_WEBHOOK_VERSION,
    });
  if (plan.existingApp && plan.webhookVersion) theApp.webhookVersion = plan.webhookVersion;
  const business =
    plan.existingBusiness ??
    createBusiness(ctx, {
      ...(plan.businessId ? { id: plan.businessId } : {}),
      name: plan.businessName,
      verificationStatus: 'verified',
      messagingLimitTier: plan.tier ?? 'TIER_2K',
    });
  if (plan.existingBusiness && plan.tier) business.messagingLimitTier = plan.tier;
  const waba = createWaba(ctx, { ...(plan.wabaId ? { id: plan.wabaId } : {}), businessId: business.id, name: plan.wabaName });
  waba.subscribedApps.set(theApp.id, {});
  const user = createSystemUser(ctx, { businessId: business.id, name: 'Switchboard System User' });
  waba.assignedUsers.set(user.id, ['MANAGE', 'DEVELOP', 'MANAGE_TEMPLATES', 'MANAGE_PHONE', 'MESSAGING']);
  const token = createAccessToken(ctx, {
    ...(plan.accessToken ? { token: plan.accessToken } : {}),
    appId: theApp.id,
    businessId: business.id,
    userId: user.id,
    wabaIds: [waba.id],
  });

  const phone = createPhoneNumber(ctx, {
    ...(plan.phoneNumberId ? { id: plan.phoneNumberId } : {}),
    wabaId: waba.id,
    waId: plan.waId,
    verifiedName: plan.verifiedName,
  });
  phone.codeVerificationStatus = 'VERIFIED';
  phone.nameStatus = 'APPROVED';
  phone.qualityRating = 'GREEN';
  phone.status = 'CONNECTED';
  phone.platformType = 'CLOUD_API';
  phone.pin = plan.pin;
  if (plan.throughputLevel === 'HIGH') {
    phone.throughputLevel = 'HIGH';
    phone.mps = HIGH_MPS;
  }

  if (plan.callbackUrl) {
    theApp.subscriptions.set('whatsapp_business_account', {
      object: 'whatsapp_business_account',
      callbackUrl: plan.callbackUrl,
      verifyToken: plan.verifyToken,
      fields: new Set(plan.fields),
      active: true,
    });
  }

  const templates = sampleTemplates(ctx, waba.id);
  for (const template of templates) ctx.state.templates.set(template.id, template);

  return {
    app_id: theApp.id,
    app_secret: theApp.secret,
    access_token: token.token,
    verify_token: plan.verifyToken,
    business_id: business.id,
    waba_id: waba.id,
    phone_number_id: phone.id,
    display_phone_number: phone.displayPhoneNumber,
    wa_id: phone.waId,
    pin: plan.pin,
    system_user_id: user.id,
    callback_url: plan.callbackUrl ?? null,
    templates: templates.map((t) => ({ id: t.id, name: t.name, language: t.language, category: t.category, status: t.status })),
  };
}

interface FixturePlan {
  existingApp?: App;
  appId?: string;
  appSecret?: string;
  accessToken?: string;
  existingBusiness?: Business;
  businessId?: string;
  wabaId?: string;
  phoneNumberId?: string;
  businessName: string;
  wabaName: string;
  verifiedName: string;
  waId: string;
  pin: string;
  tier?: MessagingLimitTier;
  throughputLevel?: 'STANDARD' | 'HIGH';
  webhookVersion?: string;
  callbackUrl?: string;
  verifyToken: string;
  fields: string[];
}

/** Checks every option before anything is created, so a bad request leaves no half sandbox. */
function planFixture(ctx: EmulatorContext, params: Params): FixturePlan {
  const appId = optionalString(params, 'app_id');
  const appSecret = optionalString(params, 'app_secret');
  let existingApp: App | undefined;
  if (appId !== undefined) {
    if (!GRAPH_ID.test(appId)) throw invalidParameter('Param app_id must be a numeric id.');
    existingApp = ctx.state.apps.get(appId);
    if (existingApp && appSecret !== undefined && existingApp.secret !== appSecret) {
      throw invalidParameter(`App ${appId} exists with another secret; give its secret or omit app_secret.`);
    }
    if (!existingApp && idInUse(ctx.state, appId)) throw invalidParameter(`Id ${appId} is already used by another object.`);
  }
  if (appSecret !== undefined && !/^[A-Za-z0-9]{8,64}$/.test(appSecret)) throw invalidParameter('Param app_secret must be 8 to 64 letters and digits.');

  const accessToken = optionalString(params, 'access_token');
  if (accessToken !== undefined) {
    if (!/^[A-Za-z0-9_\-.]{8,512}$/.test(accessToken)) throw invalidParameter('Param access_token must be 8 to 512 characters of A-Z, a-z, 0-9, _, -, . (no "|").');
    if (ctx.state.tokens.has(accessToken)) throw invalidParameter('Param access_token is already in use.');
  }

  const businessId = newId(ctx, params, 'business_id', true);
  const existingBusiness = businessId !== undefined ? ctx.state.businesses.get(businessId) : undefined;
  const wabaId = newId(ctx, params, 'waba_id', false);
  const phoneNumberId = newId(ctx, params, 'phone_number_id', false);
  if (wabaId !== undefined && wabaId === phoneNumberId) throw invalidParameter('Params waba_id and phone_number_id must differ.');
  if ((wabaId !== undefined && (wabaId === businessId || wabaId === appId)) || (phoneNumberId !== undefined && (phoneNumberId === businessId || phoneNumberId === appId))) {
    throw invalidParameter('Every id of a fixture must be different.');
  }

  const number = optionalString(params, 'display_phone_number') ?? optionalString(params, 'phone_number');
  let waId: string;
  if (number !== undefined) {
    const parsed = toWaId(number.startsWith('+') ? number : `+${number}`);
    if (!parsed) throw invalidParameter('Param phone_number must be an international number, e.g. +1 555 010 0001.');
    if ([...ctx.state.phoneNumbers.values()].some((p) => p.waId === parsed)) throw invalidParameter(`The number +${parsed} is already in use.`);
    waId = parsed;
  } else {
    waId = randomTestNumber(ctx.state);
  }

  const pin = optionalString(params, 'pin') ?? String(randomInt(0, 1_000_000)).padStart(6, '0');
  if (!PIN_PATTERN.test(pin)) throw invalidParameter('Param pin must be 6 digits.');

  const tierParam = optionalString(params, 'messaging_limit_tier');
  if (tierParam !== undefined && !(TIERS as readonly string[]).includes(tierParam)) throw invalidParameter(`Param messaging_limit_tier must be one of ${TIERS.join(', ')}.`);
  const throughput = optionalString(params, 'throughput_level');
  if (throughput !== undefined && throughput !== 'STANDARD' && throughput !== 'HIGH') throw invalidParameter('Param throughput_level must be STANDARD or HIGH.');
  const webhookVersion = optionalString(params, 'webhook_version');
  if (webhookVersion !== undefined && !/^v\d{2}\.0$/.test(webhookVersion)) throw invalidParameter('Param webhook_version must look like v23.0.');

  const callbackUrl = optionalString(params, 'callback_url');
  if (callbackUrl !== undefined && !/^https?:\/\//i.test(callbackUrl)) throw invalidParameter('Param callback_url must be an http(s) URL.');
  const verifyToken = optionalString(params, 'verify_token') ?? randomBytes(12).toString('hex');
  const fields = optionalList(params, 'fields') ?? [...WABA_WEBHOOK_FIELDS];
  for (const field of fields) if (!WABA_WEBHOOK_FIELDS.includes(field)) throw invalidParameter(`Param fields has an unknown webhook field ${field}.`);

  const name = (key: string, fallback: string) => {
    const value = optionalString(params, key);
    if (value !== undefined && (value.trim().length < 1 || value.length > 75)) throw invalidParameter(`Param ${key} must be 1 to 75 characters.`);
    return value ?? fallback;
  };
  return {
    ...(existingApp ? { existingApp } : {}),
    ...(appId !== undefined && !existingApp ? { appId } : {}),
    ...(appSecret !== undefined ? { appSecret } : {}),
    ...(accessToken !== undefined ? { accessToken } : {}),
    ...(existingBusiness ? { existingBusiness } : {}),
    ...(businessId !== undefined && !existingBusiness ? { businessId } : {}),
    ...(wabaId !== undefined ? { wabaId } : {}),
    ...(phoneNumberId !== undefined ? { phoneNumberId } : {}),
    businessName: name('business_name', 'Switchboard Test Business'),
    wabaName: name('waba_name', 'Switchboard Test WABA'),
    verifiedName: name('verified_name', 'Switchboard Test'),
    waId,
    pin,
    ...(tierParam !== undefined ? { tier: tierParam as MessagingLimitTier } : {}),
    ...(throughput !== undefined ? { throughputLevel: throughput } : {}),
    ...(webhookVersion !== undefined ? { webhookVersion } : {}),
    ...(callbackUrl !== undefined ? { callbackUrl } : {}),
    verifyToken,
    fields,
  };
}

/** An id the caller chose: numeric and unused (a business may instead be an existing one). */
function newId(ctx: EmulatorContext, params: Params, name: string, existingBusinessOk: boolean): string | undefined {
  const id = optionalString(params, name);
  if (id === undefined) return undefined;
  if (!GRAPH_ID.test(id)) throw invalidParameter(`Param ${name} must be a numeric id.`);
  if (existingBusinessOk && ctx.state.businesses.has(id)) return id;
  if (idInUse(ctx.state, id)) throw invalidParameter(`Param ${name}: the id ${id} is already used by another object.`);
  return id;
}

/** `hello_world` as in Meta's sandbox, and `order_confirmation` with two positional variables. */
function sampleTemplates(ctx: EmulatorContext, wabaId: string): Template[] {
  const base = {
    wabaId,
    language: 'en_US',
    category: 'UTILITY' as const,
    parameterFormat: 'POSITIONAL' as const,
    status: 'APPROVED' as const,
    rejectedReason: 'NONE',
    qualityScore: 'UNKNOWN' as const,
    pauseCount: 0,
    createdAt: ctx.clock.now(),
    approvedEdits: [],
  };
  const helloId = newTemplateId(ctx);
  const hello: Template = {
    ...base,
    id: helloId,
    name: 'hello_world',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      {
        type: 'BODY',
        text: 'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API, hosted by Meta. Thank you for taking the time to test with us.',
      },
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  };
  // Reserve the first id before drawing the second: ids are drawn against what the state holds.
  ctx.state.templates.set(helloId, hello);
  const order: Template = {
    ...base,
    id: newTemplateId(ctx),
    name: 'order_confirmation',
    components: [{ type: 'BODY', text: 'Hello {{1}}, your order {{2}} is confirmed.', example: { body_text: [['Maria', 'A-1042']] } }],
  };
  return [hello, order];
}
