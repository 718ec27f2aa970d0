import type { Queryable } from "../db/database.ts";
import { type Check, checkFromRow } from "./check.ts";

/** A stored check and its tenant. */
export interface StoredResult {
  tenantId: number;
  check: Check;
}

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

/**
 * Sets each monitor's status and last check, unless a newer result is already
 * there (an older result arriving late only adds its check row), and answers
 * the monitors that are still enabled: outcomes of deleted or disabled
 * monitors are dropped.
 */
export async function recordLastChecks(tx: Queryable, checks: Check[]) {
  return await tx.query<{ id: string; tenant_id: number; name: string; url: string }>(
    `UPDATE monitors m SET
       status = CASE WHEN newer THEN v.status ELSE m.status END,
       last_check = CASE WHEN newer THEN v.last_check ELSE m.last_check END
     FROM (
       SELECT v.*, (m2.last_check IS NULL
         OR (m2.last_check->>'checked_at')::timestamptz <= (v.last_check->>'checked_at')::timestamptz
       ) AS newer
       FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, status text, last_check jsonb)
       JOIN monitors m2 ON m2.id = v.monitor_id
     ) v
     WHERE m.id = v.monitor_id AND m.enabled
     RETURNING m.id, m.tenant_id, m.name, m.url`,
    [JSON.stringify(
      checks.map((c) => ({
        monitor_id: c.monitor_id,
        status: c.success ? "up" : "down",
        last_check: c,
      })),
    )],
  );
}

/** Inserts the check rows of a batch. */
export async function insertChecks(tx: Queryable, stored: StoredResult[]) {
  await tx.query(
    `INSERT INTO checks (monitor_id, tenant_id, success, status_code, response_time_ms, error_message,
       ssl_valid, ssl_expires_at, checked_at)
     SELECT monitor_id, tenant_id, success, status_code, response_time_ms, error_message,
       ssl_valid, ssl_expires_at, checked_at
     FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, tenant_id int, success boolean,
       status_code int, response_time_ms int, error_message text, ssl_valid boolean,
       ssl_expires_at timestamptz, checked_at timestamptz)`,
    [JSON.stringify(stored.map((s) => ({ ...s.check, tenant_id: s.tenantId })))],
  );
}

/** The latest checks of each monitor as bars need them (oldest first), at most `n` each. */
export async function recentOutcomes(
  db: Queryable,
  monitorIds: string[],
  n: number,
): Promise<Record<string, { success: boolean; checked_at: string }[]>> {
  const out: Record<string, { success: boolean; checked_at: string }[]> = {};
  if (monitorIds.length === 0) return out;
  const rows = await db.query<{ monitor_id: string; success: boolean; checked_at: Date | string }>(
    `SELECT m.id AS monitor_id, c.success, c.checked_at
     FROM unnest($1::uuid[]) AS m(id)
     CROSS JOIN LATERAL (
       SELECT success, checked_at FROM checks WHERE monitor_id = m.id
       ORDER BY checked_at DESC, id DESC LIMIT $2
     ) c`,
    [monitorIds, n],
  );
  for (const r of rows) {
    (out[r.monitor_id] ??= []).unshift({
      success: r.success,
      checked_at: new Date(r.checked_at).toISOString(),
    });
  }
  return out;
}

/** Each monitor's uptime over the last 24 hours from the rollups (`null` without checks). */
export async function uptime24h(
  db: Queryable,
  monitorIds: string[],
): Promise<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  if (monitorIds.length === 0) return out;
  const rows = await db.query<{ monitor_id: string; checks: number; up: number }>(
    `SELECT monitor_id, sum(checks)::int AS checks, sum(up)::int AS up FROM check_rollups
     WHERE monitor_id = ANY($1::uuid[]) AND hour > now() - interval '24 hours'
     GROUP BY monitor_id`,
    [monitorIds],
  );
  for (const id of monitorIds) out[id] = null;
  for (const r of rows) {
    out[r.monitor_id] = r.checks === 0 ? null : Math.round((r.up / r.checks) * 100_000) / 1000;
  }
  return out;
}
