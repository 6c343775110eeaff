/**
 * Micro-benchmark of the emulator's send path: how much server CPU one `POST /{phone}/messages`
 * costs, and one message's life afterwards (sent, delivered, read).
 *
 *   npx tsx packages/emulator/bench/send-path.ts [sends=20000]
 *
 * Measured with process.cpuUsage() around N sends to distinct users (so pair limits never
 * refuse), after a warm-up, on a frozen clock and a number with unlimited throughput:
 * - inject: through Fastify in-process (routing, JSON parse and serialise, light-my-request);
 * - handler: the send function alone, the emulator's own share;
 * - lifecycle: advancing the clock through every accepted message's statuses (webhook values
 *   built; no app is subscribed, so no HTTP delivery is included).
 */
import { VirtualClock } from '@switchboard/runtime';
import type { FastifyRequest } from 'fastify';
import { createFixture } from '../src/control/fixtures.js';
import { createEmulator } from '../src/emulator.js';
import { createMessagingRuntime } from '../src/messaging/messaging-runtime.js';
import { handleSend } from '../src/messaging/send-message.js';
import { userFor } from '../src/users/sim-user.js';

const sends = Number(process.argv[2] ?? 20_000);
const clock = new VirtualClock({ frozen: true, startMs: Date.UTC(2025, 8, 1) });
const emu = createEmulator({ clock });
const fx = await createFixture(emu.ctx, { messaging_limit_tier: 'TIER_UNLIMITED' });
emu.ctx.state.phoneNumbers.get(fx.phone_number_id)!.mps = Number.MAX_SAFE_INTEGER;
await emu.app.ready();

let nextUser = 16_500_000_000;
function body(kind: 'text' | 'template'): Record<string, unknown> {
  const to = String(nextUser++);
  // Text needs an open service window; the user wrote a minute ago.
  if (kind === 'text') userFor(emu.ctx.state, to).lastInboundAt.set(fx.phone_number_id, clock.now() - 60_000);
  return kind === 'text'
    ? { messaging_product: 'whatsapp', to: `+${to}`, type: 'text', text: { body: 'Your order has shipped.' } }
    : { messaging_product: 'whatsapp', to, type: 'template', template: { name: 'order_confirmation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A-1' }] }] } };
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

async function viaInject(kind: 'text' | 'template', n: number): Promise<number> {
  const bodies = Array.from({ length: n }, () => JSON.stringify(body(kind)));
  const headers = { authorization: `Bearer ${fx.access_token}`, 'content-type': 'application/json' };
  const start = cpuMicros();
  for (const payload of bodies) {
    const res = await emu.app.inject({ method: 'POST', url: `/v23.0/${fx.phone_number_id}/messages`, headers, payload });
    if (res.statusCode !== 200) throw new Error(`send failed: ${res.body}`);
  }
  return (cpuMicros() - start) / n;
}

// A second runtime over the same context: its own limiters and agenda, the same state.
const runtime = createMessagingRuntime(emu.ctx);
function viaHandler(kind: 'text' | 'template', n: number): number {
  const requests = Array.from(
    { length: n },
    () => ({ headers: { authorization: `Bearer ${fx.access_token}`, 'content-type': 'application/json' }, query: {}, body: body(kind) }) as unknown as FastifyRequest,
  );
  const start = cpuMicros();
  for (const request of requests) handleSend(runtime, request, fx.phone_number_id);
  return (cpuMicros() - start) / n;
}

function lifecycle(): number {
  const messages = emu.ctx.state.messages.size;
  const start = cpuMicros();
  clock.advance(60_000);
  return (cpuMicros() - start) / messages;
}

await viaInject('text', 2_000);
viaHandler('text', 2_000);
clock.advance(60_000);

const results = {
  'inject, text': await viaInject('text', sends),
  'inject, template': await viaInject('template', sends),
  'handler, text': viaHandler('text', sends),
  'handler, template': viaHandler('template', sends),
};
const statuses = lifecycle();

console.log(`send path, ${sends} sends each (µs of server CPU per send):`);
for (const [name, micros] of Object.entries(results)) console.log(`  ${name.padEnd(18)} ${micros.toFixed(1)} µs`);
console.log(`  lifecycle          ${statuses.toFixed(1)} µs per message (sent + delivered + read)`);
await emu.close();
