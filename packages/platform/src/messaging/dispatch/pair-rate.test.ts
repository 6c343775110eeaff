/**
 * The dispatcher holds Meta's pair rate for each recipient (45 at once, then one per 6 s) on the
 * virtual clock, so Meta never has to refuse with 131056, and the lane neither spins nor stalls
 * while a recipient is held back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack, type TenantWithNumber } from '../../../test/stack.js';

const USER = '15550401000';

describe('pair rate', () => {
  let stack: Stack;
  let tenant: TenantWithNumber;
  beforeAll(async () => {
    stack = await startStack();
    tenant = await stack.tenantWithNumber('Pairs');
  });
  afterAll(async () => {
    await stack.close();
  });

  const dispatched = async () =>
    (await stack.db.sql<{ n: number }[]>`select count(*)::int as n from messages where meta_wamid is not null and recipient = ${USER}`)[0]!.n;

  /** Moves the clock in small steps, letting the lane finish its work between them. */
  async function advance(ms: number): Promise<void> {
    for (let t = 0; t < ms; t += 100) {
      stack.clock.advance(100);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
  }

  it('sends 45 at once to one user, then one every 6 seconds, never drawing 131056', async () => {
    for (let i = 0; i < 48; i++) {
      const res = await stack.call('POST', `/${tenant.sandbox.phone_number_id}/messages`, tenant.api_key, {
        messaging_product: 'whatsapp',
        to: USER,
        type: 'template',
        template: { name: 'hello_world', language: { code: 'en_US' } },
      });
      expect(res.status).toBe(200);
    }
    await advance(3_000);
    expect(await dispatched()).toBe(45);
    await advance(3_500);
    expect(await dispatched()).toBe(46);
    await advance(12_000);
    expect(await dispatched()).toBe(48);
    const [refused] = await stack.db.sql<{ n: number }[]>`select count(*)::int as n from message_attempts where meta_code = 131056`;
    expect(refused!.n).toBe(0);
    // Order within the conversation is kept: Meta received them in the order they were accepted.
    const order = await stack.db.sql<{ id: string }[]>`
      select m.id::text from messages m join message_attempts a on a.message_id = m.id and a.outcome = 'sent'
      where m.recipient = ${USER} order by a.started_at, a.id`;
    expect(order.map((r) => Number(r.id))).toEqual([...order.map((r) => Number(r.id))].sort((x, y) => x - y));
  });
});
