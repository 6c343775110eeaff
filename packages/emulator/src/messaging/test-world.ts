/**
 * For the tests of messaging, users, limits and media: an emulator on a frozen virtual clock with
 * a sandbox (the fixtures module's app, business, WABA, CONNECTED number, token and templates, plus
 * a MARKETING and an AUTHENTICATION template), and a local webhook receiver that checks every
 * delivery's X-Hub-Signature-256 with wire's verifySignature.
 */
import { startWebhookReceiver, VirtualClock } from '@switchboard/runtime';
import { verifySignature } from '@switchboard/wire';
import { createFixture, type FixtureResult } from '../control/fixtures.js';
import { createEmulator, type Emulator } from '../emulator.js';
import type { Template, TemplateCategory } from '../templates/template.js';
import { freshId } from '../assets/create-assets.js';

/** JSON as JSON.parse types it, so tests read bodies freely. */
export type Json = ReturnType<typeof JSON.parse>;

export interface Delivery {
  raw: Buffer;
  signatureValid: boolean;
  body: Json;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** Answer POSTs with this status (e.g. 500 to play a receiver that is down). */
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(verifyToken: string, appSecret: () => string): Promise<Receiver> {
  const receiver: Receiver = { url: '', deliveries: [], status: 200, close: async () => undefined };
  const server = await startWebhookReceiver({
    path: '/webhook',
    verify: (token) => token === verifyToken,
    onPost: ({ raw, headers }) => {
      const signature = headers['x-hub-signature-256'];
      receiver.deliveries.push({
        raw,
        signatureValid: verifySignature(raw, typeof signature === 'string' ? signature : undefined, appSecret()),
        body: JSON.parse(raw.toString('utf8')),
      });
      return receiver.status;
    },
  });
  receiver.url = server.url;
  receiver.close = () => server.close();
  return receiver;
}

export interface World {
  emu: Emulator;
  url: string;
  clock: VirtualClock;
  fx: FixtureResult;
  receiver: Receiver;
  /** POST /{phone}/messages with the sandbox token; `messaging_product` is added unless given. */
  send(body: Record<string, unknown>, options?: { token?: string; phoneId?: string }): Promise<{ status: number; body: Json }>;
  call(method: string, path: string, json?: unknown, token?: string): Promise<{ status: number; body: Json }>;
  /** The user `waId` writes to the sandbox number. */
  inbound(waId: string, body: Record<string, unknown>): Promise<Json>;
  /** Every change of `field` received so far, in order. */
  changes(field?: string): Json[];
  /** Every status entry received so far, in order. */
  statuses(): Json[];
  close(): Promise<void>;
}

export const START_MS = Date.UTC(2025, 8, 1, 12);

export async function startWorld(options: { webhookVersion?: string; tier?: string; mps?: number } = {}): Promise<World> {
  const clock = new VirtualClock({ frozen: true, startMs: START_MS });
  const emu = createEmulator({ clock, webhookTimeoutMs: 2_000 });
  const url = await emu.listen(0);
  let secret = '';
  const verifyToken = 'verify-me';
  const receiver = await startReceiver(verifyToken, () => secret);
  const fx = await createFixture(emu.ctx, {
    callback_url: receiver.url,
    verify_token: verifyToken,
    webhook_version: options.webhookVersion ?? 'v23.0',
    messaging_limit_tier: options.tier ?? 'TIER_2K',
  });
  secret = fx.app_secret;
  addTemplate(emu, fx.waba_id, 'spring_sale', 'MARKETING');
  addTemplate(emu, fx.waba_id, 'login_code', 'AUTHENTICATION');
  if (options.mps !== undefined) emu.ctx.state.phoneNumbers.get(fx.phone_number_id)!.mps = options.mps;

  const call: World['call'] = async (method, path, json, token) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const changes = (field = 'messages'): Json[] => {
    const out: Json[] = [];
    for (const { body } of receiver.deliveries) {
      for (const entry of body.entry) for (const change of entry.changes) if (change.field === field) out.push(change.value);
    }
    return out;
  };
  return {
    emu,
    url,
    clock,
    fx,
    receiver,
    call,
    send: (body, o = {}) =>
      call('POST', `/v23.0/${o.phoneId ?? fx.phone_number_id}/messages`, { messaging_product: 'whatsapp', ...body }, o.token ?? fx.access_token),
    async inbound(waId, body) {
      const res = await call('POST', `/_emulator/users/${waId}/messages`, { phone_number_id: fx.phone_number_id, ...body });
      if (res.status !== 200) throw new Error(`inbound failed: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    changes,
    statuses: () => changes('messages').flatMap((v: Json) => (v.statuses ?? []) as Json[]),
    async close() {
      await emu.close();
      await receiver.close();
    },
  };
}

/** An APPROVED template without variables, as the templates module would leave it after review. */
export function addTemplate(emu: Emulator, wabaId: string, name: string, category: TemplateCategory): Template {
  const template: Template = {
    id: freshId(emu.ctx.state),
    wabaId,
    name,
    language: 'en_US',
    category,
    parameterFormat: 'POSITIONAL',
    components: [{ type: 'BODY', text: `The ${name} template.` }],
    status: 'APPROVED',
    rejectedReason: 'NONE',
    qualityScore: 'UNKNOWN',
    pauseCount: 0,
    createdAt: emu.ctx.clock.now(),
    approvedEdits: [],
  };
  emu.ctx.state.templates.set(template.id, template);
  return template;
}

/** A template send body for `name` (en_US, no parameters). */
export function templateBody(to: string, name: string): Record<string, unknown> {
  return { to, type: 'template', template: { name, language: { code: 'en_US' } } };
}
