/**
 * Shared by the templates tests: a running emulator on a frozen virtual clock with two businesses
 * (each a WABA, a token and — for the first — a phone number), an app subscribed to the first
 * WABA's webhooks, and a local receiver that collects what the emulator delivers.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '@switchboard/runtime';
import { createAccessToken, createApp, createBusiness, createPhoneNumber, createWaba } from '../assets/create-assets.js';
import { createEmulator, type Emulator } from '../emulator.js';
import type { PhoneNumber } from '../state/types.js';

/** A parsed JSON body, typed as JSON.parse types it, so tests read response bodies freely. */
export type Parsed = ReturnType<typeof JSON.parse>;

export interface WebhookChange {
  wabaId: string;
  field: string;
  value: Parsed;
}

export interface Receiver {
  url: string;
  changes(field?: string): WebhookChange[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: WebhookChange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const entry of body.entry ?? []) for (const change of entry.changes ?? []) received.push({ wabaId: entry.id, field: change.field, value: change.value });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    changes: (field) => received.filter((c) => field === undefined || c.field === field),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface World {
  emu: Emulator;
  url: string;
  clock: VirtualClock;
  receiver: Receiver;
  token: string;
  wabaId: string;
  phone: PhoneNumber;
  /** Another business, with its own WABA and token. */
  otherToken: string;
  otherWabaId: string;
  call(method: string, path: string, options?: { token?: string | null; json?: unknown; form?: Record<string, string> }): Promise<{ status: number; body: Parsed }>;
  close(): Promise<void>;
}

export async function startWorld(options: { reviewDelayMs?: number } = {}): Promise<World> {
  const clock = new VirtualClock({ frozen: true, startMs: Date.UTC(2025, 8, 1) });
  const emu = createEmulator({ clock, webhookTimeoutMs: 2_000 });
  const url = await emu.listen(0);
  const receiver = await startReceiver();
  const ctx = emu.ctx;

  const app = createApp(ctx, { name: 'Templates test app' });
  app.subscriptions.set('whatsapp_business_account', {
    object: 'whatsapp_business_account',
    callbackUrl: receiver.url,
    verifyToken: 'verify',
    fields: new Set(),
    active: true,
  });
  const business = createBusiness(ctx, { name: 'Lucky Shrub' });
  const waba = createWaba(ctx, { businessId: business.id, name: 'Lucky Shrub WABA' });
  waba.subscribedApps.set(app.id, {});
  const token = createAccessToken(ctx, { appId: app.id, businessId: business.id, wabaIds: [waba.id] });
  const phone = createPhoneNumber(ctx, { wabaId: waba.id, waId: '15550783881', verifiedName: 'Lucky Shrub' });

  const other = createBusiness(ctx, { name: 'Other Co' });
  const otherWaba = createWaba(ctx, { businessId: other.id, name: 'Other WABA' });
  const otherToken = createAccessToken(ctx, { appId: app.id, businessId: other.id, wabaIds: [otherWaba.id] });

  if (options.reviewDelayMs !== undefined) ctx.state.templates.reviewer.delayMs = options.reviewDelayMs;

  const call: World['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    const bearer = opts.token === undefined ? token.token : opts.token;
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    let body: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(opts.form).toString();
    }
    const response = await fetch(`${url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text)) : undefined };
  };

  return {
    emu,
    url,
    clock,
    receiver,
    token: token.token,
    wabaId: waba.id,
    phone,
    otherToken: otherToken.token,
    otherWabaId: otherWaba.id,
    call,
    async close() {
      await emu.close();
      await receiver.close();
    },
  };
}

/** A valid UTILITY template request; override any field. */
export function utilityTemplate(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'order_update',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A-17'] } },
      { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives soon.', example: { body_text: [['Ana', 'A-17']] } },
      { type: 'FOOTER', text: 'Lucky Shrub' },
      { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}', example: ['https://example.com/t/A17'] }] },
    ],
    ...overrides,
  };
}

/** A template request whose body only has fixed text. */
export function plainTemplate(name: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Your appointment is confirmed for tomorrow.' }], ...overrides };
}
