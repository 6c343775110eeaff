/**
 * Counting a user against a portfolio's messaging limit, settled by the database.
 *
 * portfolio_reach holds (portfolio, user, last reached); a user counts while reached less than 24 h
 * ago, and reaching them again moves that time (as Meta's moving window, and the emulator's
 * RecentUsers, do). portfolios.reach_count is the number of the portfolio's rows, so the count is
 * read, not computed: O(1) per send, whatever the tier.
 * - A user already counted is admitted without a lock: one UPDATE of their row.
 * - A new user takes the portfolio row's lock (SELECT … FOR UPDATE), deletes the rows that fell out
 *   of the window (each row is deleted once, so this is amortised O(1)), and is inserted only if
 *   the count is below the limit. Two sends racing for the last slot queue on that lock: the
 *   second sees the first's row in the count and is refused.
 * The expiry DELETE and the lock-free UPDATE cannot both take a row: whichever runs second
 * re-checks the row's new version (READ COMMITTED), so a user being re-reached is never lost from
 * the count while still being counted.
 */
import type { Sql } from '../../db/connect.js';

export const REACH_WINDOW_MS = 24 * 3_600_000;

/** counted: a new user took a slot; already: reached in the last 24 h, counts no more; over: no slot left. */
export type Admission = 'counted' | 'already' | 'over';

/**
 * @param newUsers false: only admit a user already counted (no lock taken; a new user is 'over').
 *   The releaser uses it once the portfolio is full, to let through held messages to users that
 *   are reached anyway without queueing on the lock for each of the others.
 */
export async function admitReach(sql: Sql, portfolioId: string, waId: string, limit: number, now: Date, newUsers = true): Promise<Admission> {
  const cutoff = new Date(now.getTime() - REACH_WINDOW_MS);
  const [seen] = await sql`
    update portfolio_reach set reached_at = greatest(reached_at, ${now})
    where portfolio_id = ${portfolioId} and wa_id = ${waId} and reached_at > ${cutoff}
    returning 1`;
  if (seen) return 'already';
  if (!newUsers) return 'over';

  return sql.begin(async (tx) => {
    await tx`insert into portfolios (id) values (${portfolioId}) on conflict (id) do nothing`;
    await tx`select 1 from portfolios where id = ${portfolioId} for update`;
    const [counted] = await tx<{ reach_count: number }[]>`
      with gone as (delete from portfolio_reach where portfolio_id = ${portfolioId} and reached_at <= ${cutoff} returning 1)
      update portfolios set reach_count = reach_count - (select count(*) from gone)::int
      where id = ${portfolioId}
      returning reach_count`;
    // Admitted by another send between the lock-free UPDATE and the lock: already counted.
    const [again] = await tx`
      update portfolio_reach set reached_at = greatest(reached_at, ${now})
      where portfolio_id = ${portfolioId} and wa_id = ${waId}
      returning 1`;
    if (again) return 'already';
    if (counted!.reach_count >= limit) return 'over';
    await tx`insert into portfolio_reach (portfolio_id, wa_id, reached_at) values (${portfolioId}, ${waId}, ${now})`;
    await tx`update portfolios set reach_count = reach_count + 1 where id = ${portfolioId}`;
    return 'counted';
  });
}

/** Users counted now, and when the oldest of them leaves the window (capacity frees then). */
export async function reachUsage(sql: Sql, portfolioIds: string[], now: Date): Promise<Map<string, { users: number; nextFreeAt: Date | null }>> {
  const cutoff = new Date(now.getTime() - REACH_WINDOW_MS);
  const rows = await sql<{ portfolio_id: string; users: number; oldest: Date | null }[]>`
    select p.id as portfolio_id,
      (select count(*)::int from portfolio_reach r where r.portfolio_id = p.id and r.reached_at > ${cutoff}) as users,
      (select min(reached_at) from portfolio_reach r where r.portfolio_id = p.id and r.reached_at > ${cutoff}) as oldest
    from unnest(${portfolioIds}::text[]) as p(id)`;
  return new Map(
    rows.map((r) => [r.portfolio_id, { users: r.users, nextFreeAt: r.oldest ? new Date(r.oldest.getTime() + REACH_WINDOW_MS) : null }]),
  );
}
