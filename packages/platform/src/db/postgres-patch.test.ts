/**
 * The patch to postgres.js (patches/postgres+3.4.9.patch, decision 0005), checked against a real
 * connection failure rather than waiting for a PostgreSQL restart to hit the moment: a TCP relay
 * between the pool and PostgreSQL resets the first connection when the client asks for the array
 * types, which postgres.js does first on every new connection. The query that was waiting gets the
 * error, which its caller handles. Unpatched, the promise of the fetch, which postgres.js drops,
 * rejects too, with nothing to handle it: a platform process exits on it (the fault suite's
 * PostgreSQL restart found it in CI), and here the rejection is caught and the test fails.
 */
import { createServer, connect as connectTcp, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { connect, type Sql } from './connect.js';

/** Relays TCP to PostgreSQL; the first client message asking for the array types resets the client's side and closes the other. */
class Relay {
  cuts = 0;
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(target: { host: string; port: number }) {
    this.#server = createServer((client) => {
      const upstream = connectTcp(target.port, target.host);
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      upstream.pipe(client);
      client.on('data', (data: Buffer) => {
        if (this.cuts === 0 && data.includes('typarray')) {
          this.cuts++;
          // A reset, as a restarting server's connections see it (ECONNRESET), not a clean close.
          client.resetAndDestroy();
          upstream.destroy();
          return;
        }
        upstream.write(data);
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

describe('postgres.js, patched', () => {
  let db: TestDatabase;
  let relay: Relay;
  let sql: Sql;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    relay = new Relay({ host: target.hostname, port: Number(target.port) });
    const relayed = new URL(db.url);
    relayed.port = String(await relay.listen());
    sql = connect(relayed.toString(), { max: 1 });
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await sql.end({ timeout: 1 });
    await relay.close();
    await db.drop();
  });

  it('fails the waiting query, not the process, when the connection is reset while it fetches the array types', async () => {
    await expect(sql`select 1 as one`).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(relay.cuts).toBe(1);
    // An unhandled rejection is reported once the microtasks have run; give it two turns of the loop.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);

    // The next connection fetches the types again: an array column is parsed as an array.
    const [row] = await sql<{ ids: string[] }[]>`select array[1, 2]::bigint[] as ids`;
    expect(row!.ids).toEqual(['1', '2']);
  });
});
