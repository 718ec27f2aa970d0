import type { Queryable } from "../db/database.ts";
import { type Check, checkFromRow } from "./check.ts";

/** A monitor's checks, newest first, optionally before a time. */
export async function listChecks(
  db: Queryable,
  monitorId: string,
  opts: { limit: number; before?: string },
): Promise<Check[]> {
  const rows = await db.query(
    `SELECT monitor_id, success, status_code, response_time_ms, error_message, ssl_valid,
       ssl_expires_at, checked_at
     FROM checks WHERE monitor_id = $1 AND ($2::timestamptz IS NULL OR checked_at < $2::timestamptz)
     ORDER BY checked_at DESC, id DESC LIMIT $3`,
    [monitorId, opts.before ?? null, opts.limit],
  );
  return rows.map(checkFromRow);
}
