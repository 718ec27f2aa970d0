import type { Queryable } from "../db/database.ts";

/** Rollups outlive raw checks: kept this many days. */
export const ROLLUP_RETENTION_DAYS = 400;

/**
 * Deletes raw checks older than `days` and rollups older than a year and a
 * bit, in batches so a large backlog never holds a long lock.
 */
export async function pruneChecks(
  db: Queryable,
  days: number,
  batch = 10_000,
): Promise<number> {
  let total = 0;
  for (;;) {
    const rows = await db.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM checks WHERE id IN (
           SELECT id FROM checks WHERE checked_at < now() - make_interval(days => $1) LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [days, batch],
    );
    total += rows[0].n;
    if (rows[0].n < batch) break;
  }
  await db.query(
    "DELETE FROM check_rollups WHERE hour < now() - make_interval(days => $1)",
    [
      ROLLUP_RETENTION_DAYS,
    ],
  );
  return total;
}
