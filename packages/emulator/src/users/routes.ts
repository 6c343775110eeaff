/**
 * Control routes of the simulated users (no auth, like all of /_emulator):
 * - GET    /_emulator/users/{wa_id}            settings, service windows, pending deliveries
 * - PUT    /_emulator/users/{wa_id}            replace settings (defaults for keys not given)
 * - PATCH  /_emulator/users/{wa_id}            change some settings
 * - POST   /_emulator/users/{wa_id}/messages   the user sends a message to a business number
 * - GET    /_emulator/users/{wa_id}/messages   what the user received (?limit=, newest last)
 * Coming back online delivers what the user missed; stopping or resuming marketing for a number
 * sends that number's WABA a `user_preferences` webhook, as WhatsApp does.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalidParameter, toWaId } from '@switchboard/wire';
import type { EmulatorContext } from '../context.js';
import { deliverPending } from '../messaging/lifecycle.js';
import type { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { presentMessage } from '../messaging/present-message.js';
import { metadataOf } from '../messaging/status-webhook.js';
import { receiveInbound } from './inbound.js';
import { parseSettings } from './settings.js';
import { DEFAULT_USER_SETTINGS, SERVICE_WINDOW_MS, userFor, type SimUser, type SimUserSettings } from './sim-user.js';

export function registerUsersRoutes(app: FastifyInstance, runtime: MessagingRuntime): void {
  const { ctx } = runtime;

  app.get('/_emulator/users/:waId', async (request) => presentUser(ctx, userFor(ctx.state, waIdParam(request))));

  const update = (merge: boolean) => async (request: FastifyRequest) => {
    const user = userFor(ctx.state, waIdParam(request));
    const before = user.settings;
    user.settings = parseSettings(request.body ?? {}, merge ? before : DEFAULT_USER_SETTINGS);
    const now = ctx.clock.now();
    if (!before.online && user.settings.online) deliverPending(runtime, user, now);
    announceMarketingPreference(ctx, user, before, now);
    return presentUser(ctx, user);
  };
  app.put('/_emulator/users/:waId', update(false));
  app.patch('/_emulator/users/:waId', update(true));

  app.post('/_emulator/users/:waId/messages', async (request) => {
    const waId = waIdParam(request);
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidParameter('Send the message as a JSON object.');
    const message = receiveInbound(runtime, waId, body as Record<string, unknown>, ctx.clock.now());
    return { messaging_product: 'whatsapp', messages: [{ id: message.id }], message: message.payload };
  });

  app.get('/_emulator/users/:waId/messages', async (request) => {
    const user = ctx.state.users.get(waIdParam(request));
    const { limit } = request.query as { limit?: string };
    const n = Math.min(Math.max(Number(limit ?? 100) || 100, 1), 1_000);
    return { data: (user?.inbox ?? []).slice(-n).map(presentMessage) };
  });
}

function waIdParam(request: FastifyRequest): string {
  const { waId } = request.params as { waId: string };
  const normalised = toWaId(waId);
  if (!normalised) throw invalidParameter(`${waId} is not a WhatsApp id (a phone number in international format).`);
  return normalised;
}

function presentUser(ctx: EmulatorContext, user: SimUser) {
  const now = ctx.clock.now();
  return {
    wa_id: user.waId,
    settings: user.settings,
    service_windows: [...user.lastInboundAt].map(([phoneNumberId, at]) => ({
      phone_number_id: phoneNumberId,
      last_inbound_at: at,
      expires_at: at + SERVICE_WINDOW_MS,
      open: now - at < SERVICE_WINDOW_MS,
    })),
    pending_delivery: user.pendingDelivery.length,
    typing: user.typingUntil !== undefined && user.typingUntil > now,
  };
}

/** `user_preferences` (reference §2.5) for each number the user stopped or resumed marketing from. */
function announceMarketingPreference(ctx: EmulatorContext, user: SimUser, before: SimUserSettings, now: number): void {
  const was = new Set(before.stoppedMarketing);
  const is = new Set(user.settings.stoppedMarketing);
  const changes: Array<[string, 'stop' | 'resume']> = [
    ...[...is].filter((id) => !was.has(id)).map((id): [string, 'stop'] => [id, 'stop']),
    ...[...was].filter((id) => !is.has(id)).map((id): [string, 'resume'] => [id, 'resume']),
  ];
  for (const [phoneId, value] of changes) {
    const phone = ctx.state.phoneNumbers.get(phoneId);
    if (!phone) continue;
    ctx.webhooks.emit({
      wabaId: phone.wabaId,
      field: 'user_preferences',
      phoneNumberId: phone.id,
      value: {
        messaging_product: 'whatsapp',
        metadata: metadataOf(phone),
        contacts: [{ wa_id: user.waId, profile: { name: user.settings.profileName } }],
        user_preferences: [
          {
            wa_id: user.waId,
            detail: value === 'stop' ? 'User requested to stop marketing messages' : 'User requested to resume marketing messages',
            category: 'marketing_messages',
            value,
            timestamp: Math.floor(now / 1_000),
          },
        ],
      },
    });
  }
}
