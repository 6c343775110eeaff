/**
 * Message statuses only move forward: a late `delivered` never overwrites `read`. `failed` ends a
 * message that Meta had not yet delivered; after delivery it is recorded but does not replace it.
 */
export const STATUS_RANK: Record<string, number> = {
  accepted: 0,
  dispatched: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
  played: 6,
};

export function rank(status: string): number {
  return STATUS_RANK[status] ?? -1;
}
