/**
 * The patch to postgres.js (patches/postgres+3.4.9.patch, decision 0005), checked against a real
 * connection failure rather than waiting for a PostgreSQL restart to hit the moment: a TCP relay
 * between the pool and PostgreSQL resets the first connection when the client asks for the array
 * types, which postgres.js does first on every new connection. The query that was waiting gets the
 * error, which its caller handles. Unpatched, the promise of the fetch, which postgres.js drops,
 * rejects too, with nothing to handle it: a platform process exits on it (the fault suite's
 * PostgreSQL restart found it in CI), and here the rejection is caught and the test fails.
 *
 * The patch's two other hunks are about writes around a closed socket. Their tests own the
 * client's sockets (postgres.js's `socket` option) and close them at the moment that matters:
 * - a query executed on a connection after its socket closed (a transaction's next statement)
 *   schedules a flush that, unpatched, throws from setImmediate (`reading 'write'` of null) and
 *   ends the process;
 * - a write buffered when the socket's close is handled leaves, unpatched, the cleared flush timer
 *   set, so the reconnected session's startup message is never flushed: the connection is dead
 *   for good (every reconnect times out).
 *
 * The fourth hunk (and a line in the first): a connection whose socket closed during a query, or
 * that was given a query after, kept that (rejected) query as its current one, and `end()` waited
 * for it forever — a pool that had lived through a PostgreSQL restart could not be closed without a
 * timeout. A relay resets the connection carrying a marked query, and a transaction's socket is
 * closed under it (its next statement and rollback go to the dead connection); either pool ends.
 */
import { once } from 'node:events';
import { connect as connectTcp, type Socket } from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpRelay, targetOf } from '../../test/tcp-relay.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { connect, type Sql } from './connect.js';

describe('postgres.js, patched', () => {
  let db: TestDatabase;
  let relay: TcpRelay;
  let sql: Sql;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    db = await createTestDatabase();
    // The first client message asking for the array types resets the connection.
    relay = new TcpRelay(targetOf(db.url), (data) => data.includes('typarray'));
    sql = connect(await relay.listen(db.url), { max: 1 });
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

describe('postgres.js, patched, ending a pool after a connection failed during a query', () => {
  let db: TestDatabase;
  let relay: TcpRelay;
  beforeAll(async () => {
    db = await createTestDatabase();
    relay = new TcpRelay(targetOf(db.url), (data) => data.includes('reset here'));
  });
  afterAll(async () => {
    await relay.close();
    await db.drop();
  });

  it('ends (unpatched, end() never resolves)', async () => {
    const sql = connect(await relay.listen(db.url), { max: 2 });
    await sql`select 1`;
    await expect(sql`select 'reset here' as marker`).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(relay.cuts).toBe(1);
    const [row] = await sql<{ n: number }[]>`select 2 as n`;
    expect(row!.n).toBe(2);
    await expect(sql.end()).resolves.toBeUndefined();
  });
});

describe('postgres.js, patched, writing around a closed socket', () => {
  let db: TestDatabase;
  let target: { host: string; port: number };
  const sockets: Socket[] = [];
  const uncaught: unknown[] = [];
  let noteUncaught!: (err: unknown) => void;
  /** The first uncaught exception's message: a query waited on with this fails at once instead of timing out. */
  const firstUncaught = new Promise<string>((resolve) => (noteUncaught = (err) => resolve(`uncaught: ${String(err)}`)));
  const onUncaught = (err: unknown) => {
    uncaught.push(err);
    noteUncaught(err);
  };
  const open = async (): Promise<Socket> => {
    const socket = connectTcp(target.port, target.host);
    await once(socket, 'connect');
    return socket;
  };
  /** Closes the newest socket (the pool's connection) and waits until the close is handled. */
  const closeLastSocket = async () => {
    const socket = sockets.at(-1)!;
    socket.destroy();
    await once(socket, 'close');
  };
  // A pool of one whose sockets the test holds; a reconnect that cannot start fails in 2 s.
  const pool = () =>
    postgres(db.url, {
      max: 1,
      fetch_types: false,
      connect_timeout: 2,
      onnotice: () => undefined,
      socket: async () => {
        const socket = await open();
        sockets.push(socket);
        return socket;
      },
    } as postgres.Options<Record<string, never>>);

  beforeAll(async () => {
    db = await createTestDatabase();
    target = targetOf(db.url);
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    for (const s of sockets) s.destroy();
    await db.drop();
  });

  it("fails a transaction's statement made after its connection closed, instead of throwing from the flush", async () => {
    const sql = pool();
    try {
      let second: Promise<unknown> | undefined;
      const transaction = sql
        .begin(async (tx) => {
          await tx`select 1`;
          await closeLastSocket();
          second = tx`select 2`.then(
            () => 'answered',
            (err: { code?: string }) => err.code,
          );
          await second;
        })
        .catch((err: { code?: string }) => err.code);
      expect(await Promise.race([transaction, firstUncaught])).toBe('CONNECTION_CLOSED');
      await expect.poll(() => second !== undefined).toBe(true);
      expect(await Promise.race([second, firstUncaught])).toBe('CONNECTION_CLOSED');
      for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(uncaught).toEqual([]);
      // The pool reconnects for the next query.
      const [row] = await sql<{ n: number }[]>`select 3 as n`;
      expect(row!.n).toBe(3);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });

  it("ends after a transaction's connection closed under it (unpatched, end() never resolves)", async () => {
    const sql = pool();
    const transaction = sql
      .begin(async (tx) => {
        await tx`select 1`;
        await closeLastSocket();
        await tx`select 2`;
      })
      .catch((err: { code?: string }) => err.code);
    expect(await transaction).toBe('CONNECTION_CLOSED');
    // The failed statement and the rollback after it were the connection's last queries.
    await expect(sql.end()).resolves.toBeUndefined();
  });

  it('reconnects after its socket closed with a write still to flush', async () => {
    const sql = pool();
    try {
      await sql`select 1`;
      const socket = sockets.at(-1)!;
      // Closes destroyed in one turn are handled in the reverse order (libuv's closing list), each
      // followed by its microtasks: a query made on the other socket's close is buffered on the
      // pool's connection, still open to postgres.js, whose own close comes next.
      const other = await open();
      let buffered: Promise<unknown> | undefined;
      other.once('close', () => {
        buffered = sql`select 2`.then(
          () => 'answered',
          (err: { code?: string }) => err.code,
        );
      });
      socket.destroy();
      other.destroy();
      await once(socket, 'close');
      expect(await buffered).toBe('CONNECTION_CLOSED');
      // Unpatched, this reconnect never sends its startup message and times out (CONNECT_TIMEOUT).
      const [row] = await sql<{ n: number }[]>`select 3 as n`;
      expect(row!.n).toBe(3);
    } finally {
      await sql.end({ timeout: 1 });
    }
  });
});
