/**
 * Seeds the demo through real paths: the emulator's fixtures call makes Meta's side (app, business,
 * WABA, registered number, approved template) and subscribes the app to the platform's
 * /webhooks/meta after Meta's handshake; the platform gets a tenant (API key, webhook secret); the
 * operator API attaches the WABA to the tenant; the tenant registers its webhook with Meta's own
 * subscribed_apps call; a simulated consumer is set to reply. On the next start the same ids are
 * rebuilt from demo.json, so the data in PostgreSQL keeps matching Meta's side.
 */
import { randomBytes } from 'node:crypto';
import type { FixtureResult } from '@switchboard/emulator';
import { createTenant, type SecretBox, type Sql } from '@switchboard/platform';
import type { DemoFile } from './demo-file.js';

export const DEMO_TEMPLATE = { name: 'order_confirmation', language: 'en_US' };
export const DEMO_CONSUMER = '15550009999';

export interface DemoApp {
  app_id: string;
  app_secret: string;
  verify_token: string;
}

/** The Meta app of the demo: the same across restarts, so the platform's configuration matches. */
export function demoApp(previous: DemoFile | undefined): DemoApp {
  return {
    app_id: previous?.emulator.app_id ?? String(100_000_000_000_000 + Math.floor(Math.random() * 899_999_999_999_999)),
    app_secret: previous?.emulator.app_secret ?? randomBytes(16).toString('hex'),
    verify_token: previous?.emulator.verify_token ?? randomBytes(12).toString('hex'),
  };
}


export interface SeedInput {
  sql: Sql;
  box: SecretBox;
  app: DemoApp;
  platformUrl: string;
  emulatorUrl: string;
  operatorKey: string;
  receiver: { url: string; verifyToken: string };
  previous: DemoFile | undefined;
}

export async function seedDemo(input: SeedInput): Promise<DemoFile> {
  const { previous, app } = input;
  const fixtures = await requestJson<FixtureResult>('POST', `${input.emulatorUrl}/_emulator/fixtures`, {
    app_id: app.app_id,
    app_secret: app.app_secret,
    verify_token: app.verify_token,
    callback_url: `${input.platformUrl}/webhooks/meta`,
    access_token: previous?.emulator.access_token,
    business_id: previous?.emulator.business_id,
    waba_id: previous?.waba_id,
    phone_number_id: previous?.phone_number_id,
    display_phone_number: previous?.emulator.display_phone_number,
  });

  await requestJson('PUT', `${input.emulatorUrl}/_emulator/users/${DEMO_CONSUMER}`, {
    profileName: 'Demo Consumer',
    autoReply: { text: 'Thanks! Got it.' },
  });

  let tenantId = previous?.tenant_id;
  let apiKey = previous?.api_key;
  let webhookSecret = previous?.webhook_secret;
  const [existing] = tenantId ? await input.sql`select 1 from tenants where id = ${tenantId}` : [];
  if (!existing) {
    const tenant = await createTenant(input.sql, input.box, 'Demo tenant');
    tenantId = tenant.tenant_id;
    apiKey = tenant.api_key;
    webhookSecret = tenant.webhook_secret;
  }

  await requestJson('POST', `${input.platformUrl}/api/v1/wabas`, { tenant_id: tenantId, waba_id: fixtures.waba_id, access_token: fixtures.access_token }, input.operatorKey);
  await requestJson(
    'POST',
    `${input.platformUrl}/v23.0/${fixtures.waba_id}/subscribed_apps`,
    { override_callback_uri: input.receiver.url, verify_token: input.receiver.verifyToken },
    apiKey,
  );

  return {
    platform_url: input.platformUrl,
    emulator_url: input.emulatorUrl,
    api_key: apiKey!,
    phone_number_id: fixtures.phone_number_id,
    waba_id: fixtures.waba_id,
    webhook_secret: webhookSecret!,
    template: DEMO_TEMPLATE,
    consumer_wa_id: DEMO_CONSUMER,
    tenant_id: tenantId!,
    operator_key: input.operatorKey,
    webhook_receiver_url: input.receiver.url,
    emulator: {
      app_id: fixtures.app_id,
      app_secret: fixtures.app_secret,
      access_token: fixtures.access_token,
      verify_token: app.verify_token,
      business_id: fixtures.business_id,
      display_phone_number: fixtures.display_phone_number,
    },
  };
}

async function requestJson<T>(method: string, url: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`demo seeding: ${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}
