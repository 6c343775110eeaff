/**
 * The sweeps over queue tables run planned afresh, never as prepared statements: a statement
 * without parameters keeps its first plan, and one made while a queue was empty goes on scanning
 * the whole table for each number or destination once the queue has grown (a sweep took 4.8 s
 * for 1,000 numbers and 60,000 queued rows, against 6 ms planned at the time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-db.js';
import { numbersWithWork } from '../messaging/sql/claim-batch.js';
import { queuedDestinations } from '../webhooks/sql/queued-destinations.js';
import { connect, type Sql } from './connect.js';

describe('sweeps over queue tables', () => {
  let db: TestDatabase;
  let one: Sql;
  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: what it has prepared is what pg_prepared_statements shows.
    one = connect(db.url, { max: 1 });
  });
  afterAll(async () => {
    await one.end();
    await db.drop();
  });

  it('are planned at each run, so an empty queue at start does not fix their plan', async () => {
    await db.sql`insert into send_queue (message_id, phone_number_id, recipient) values (1, 'b', 'r'), (2, 'a', 'r'), (3, 'b', 'r')`;
    for (let i = 0; i < 6; i++) {
      expect(await numbersWithWork(one)).toEqual(['a', 'b']);
      expect(await queuedDestinations(one)).toEqual([]);
    }
    const prepared = await one<{ statement: string }[]>`select statement from pg_prepared_statements`;
    expect(prepared.filter((p) => /send_queue|webhook_pending|webhook_events/.test(p.statement))).toEqual([]);
  });
});
