/**
 * A running emulator for the compatibility tests: a real HTTP server on a frozen virtual clock,
 * one fixture sandbox, and plain-fetch helpers for what no SDK does (the control API, adding a
 * number to a WABA). SDK calls under test go over HTTP like any client's.
 */
import { VirtualClock } from '@switchboard/runtime';
import { createEmulator, type Emulator } from '../../src/index.js';
import type { FixtureResult } from '../../src/control/fixtures.js';

/** A parsed JSON body, typed as JSON.parse types it, so tests read response bodies freely. */
export type Json = ReturnType<typeof JSON.parse>;

export interface Answer {
  status: number;
  body: Json;
}

export interface Sandbox {
  emu: Emulator;
  url: string;
  clock: VirtualClock;
  fixture: FixtureResult;
  /** A Graph call with the fixture's system-user token (JSON body when given). */
  graph(method: string, path: string, json?: unknown): Promise<Answer>;
  /** A control-API call (no auth); throws unless it answers 200. */
  control(method: string, path: string, json?: unknown): Promise<Json>;
  close(): Promise<void>;
}

export async function startSandbox(fixtureBody: Record<string, unknown> = {}): Promise<Sandbox> {
  const clock = new VirtualClock({ frozen: true, startMs: Date.UTC(2025, 8, 1) });
  const emu = createEmulator({ clock, webhookTimeoutMs: 2_000 });
  const url = await emu.listen(0);

  const request = async (method: string, path: string, json: unknown, token?: string): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const control = async (method: string, path: string, json?: unknown): Promise<Json> => {
    const answer = await request(method, path, json);
    if (answer.status !== 200) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  let fixture: FixtureResult;
  try {
    fixture = (await control('POST', '/_emulator/fixtures', fixtureBody)) as FixtureResult;
  } catch (err) {
    await emu.close();
    throw err;
  }
  return {
    emu,
    url,
    clock,
    fixture,
    graph: (method, path, json) => request(method, path, json, fixture.access_token),
    control,
    close: () => emu.close(),
  };
}

/**
 * Adds a number to the sandbox's WABA (`POST /{waba-id}/phone_numbers`, which none of the SDKs
 * wraps): it starts NOT_VERIFIED and unregistered, ready for request_code → verify_code → register.
 */
export async function addFreshNumber(sandbox: Sandbox, phoneNumber: string, verifiedName = 'Fresh Corner Shop'): Promise<string> {
  const added = await sandbox.graph('POST', `/v23.0/${sandbox.fixture.waba_id}/phone_numbers`, {
    cc: '1',
    phone_number: phoneNumber,
    verified_name: verifiedName,
  });
  if (added.status !== 200) throw new Error(`add number: ${added.status} ${JSON.stringify(added.body)}`);
  return added.body.id as string;
}

/** The code the emulator "texted" to the number's simulated SIM after request_code. */
export async function codeOnSim(sandbox: Sandbox, phoneNumberId: string): Promise<string> {
  const sim = await sandbox.control('GET', `/_emulator/phone_numbers/${phoneNumberId}/sim`);
  const code = sim.pending_code?.code;
  if (typeof code !== 'string') throw new Error(`no pending code on the SIM of ${phoneNumberId}: ${JSON.stringify(sim)}`);
  return code;
}

/** A simulated WhatsApp user writes to a business number (opens the 24 h service window). */
export async function userWrites(sandbox: Sandbox, waId: string, body: string, phoneNumberId = sandbox.fixture.phone_number_id): Promise<Json> {
  return sandbox.control('POST', `/_emulator/users/${waId}/messages`, { phone_number_id: phoneNumberId, type: 'text', text: { body } });
}

/** The smallest valid PNG (1×1, transparent): real image bytes, so type sniffing agrees with image/png. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
    '0000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);
