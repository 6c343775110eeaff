/**
 * Helpers for the policy and templates tests: Meta's side (the emulator's Graph API with the
 * sandbox's own token, and its control API), what a refused send must not leave behind, and
 * waits on the shared frozen clock.
 */
import { expect, vi } from 'vitest';
import type { Stack, TenantWithNumber } from '../../test/stack.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON answers
export type Json = any;

export async function http(method: string, url: string, token: string | undefined, body?: unknown): Promise<{ status: number; json: Json }> {
  const response = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** The emulator's control API (no auth). */
export async function control(stack: Stack, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await http(method, `${stack.emulatorUrl}${path}`, undefined, body);
  if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
  return res.json;
}

/** The same request straight to Meta (the emulator) with the sandbox's Meta token, bypassing the platform. */
export function toMeta(stack: Stack, tenant: TenantWithNumber, method: string, path: string, body?: unknown) {
  return http(method, `${stack.emulatorUrl}/v23.0/${path}`, tenant.sandbox.access_token, body);
}

export const sendPath = (tenant: TenantWithNumber) => `/v23.0/${tenant.sandbox.phone_number_id}/messages`;

/** A user writes to the tenant's number; resolves once the platform has recorded the window. */
export async function userWrites(stack: Stack, tenant: TenantWithNumber, waId: string, extra: Record<string, unknown> = {}): Promise<void> {
  await control(stack, 'POST', `/_emulator/users/${waId}/messages`, {
    phone_number_id: tenant.sandbox.phone_number_id,
    type: 'text',
    text: { body: 'hello' },
    ...extra,
  });
  await vi.waitFor(async () => {
    const [row] = await stack.db.sql`select 1 from conversations where phone_number_id = ${tenant.sandbox.phone_number_id} and wa_id = ${waId}`;
    expect(row).toBeDefined();
  });
}

/** Outbound messages the emulator (Meta) holds from this number. */
export function metaOutbound(stack: Stack, tenant: TenantWithNumber): number {
  let n = 0;
  for (const m of stack.emulator.ctx.state.messages.values()) if (m.direction === 'outbound' && m.phoneNumberId === tenant.sandbox.phone_number_id) n++;
  return n;
}

/** What the platform stored for the tenant: messages and queued sends. */
export async function platformStored(stack: Stack, tenant: TenantWithNumber): Promise<{ messages: number; queued: number }> {
  const [row] = await stack.db.sql<{ messages: number; queued: number }[]>`
    select (select count(*)::int from messages where tenant_id = ${tenant.tenant_id}) as messages,
           (select count(*)::int from send_queue where phone_number_id = ${tenant.sandbox.phone_number_id}) as queued`;
  return row!;
}

/**
 * Meta's asynchronous verdict on a message it accepted: moves the clock in small steps until the
 * emulator reports it sent or failed, and returns the failed status's error code (undefined when sent).
 */
export async function metaVerdict(stack: Stack, wamid: string): Promise<number | undefined> {
  let message: Json;
  await vi.waitFor(async () => {
    stack.clock.advance(100);
    message = await control(stack, 'GET', `/_emulator/messages/${wamid}`);
    expect(['sent', 'delivered', 'read', 'failed']).toContain(message.status);
  });
  return message.status === 'failed' ? (message.error.code as number) : undefined;
}

/** The platform's copy of a template, once it satisfies `check`. */
export async function localTemplate(stack: Stack, tenant: TenantWithNumber, id: string, check: (t: Json) => void): Promise<Json> {
  let template: Json;
  await vi.waitFor(async () => {
    const res = await stack.call('GET', `/api/v1/templates/${id}`, tenant.api_key);
    expect(res.status).toBe(200);
    template = res.json;
    check(template);
  });
  return template;
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
