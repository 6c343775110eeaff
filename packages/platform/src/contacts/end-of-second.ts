/**
 * Meta's timestamps have one-second resolution: an event is taken to have happened at the end of
 * its second (never after `now`), so within one second the change that arrives last wins, and
 * only a change from an earlier second is stale.
 */
export function endOfSecond(seconds: number, now: Date): Date {
  return new Date(Math.min(seconds * 1000 + 999, now.getTime()));
}
