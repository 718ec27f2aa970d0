import type { Queryable } from "../db/database.ts";
import { iso } from "../db/rows.ts";
import type { RuleCheck } from "./evaluate_rule.ts";

/**
 * The recent checks of several monitors, newest first, each read to its own
 * depth (the depth its rules need), in one statement.
 */
export async function readRuleHistory(
  tx: Queryable,
  wants: readonly { monitorId: string; depth: number }[],
): Promise<Map<string, RuleCheck[]>> {
  const history = new Map<string, RuleCheck[]>();
  const needed = wants.filter((w) => w.depth > 0);
  if (needed.length === 0) return history;
  const rows = await tx.query<{
    monitor_id: string;
    success: boolean;
    response_time_ms: number | null;
    ssl_expires_at: Date | string | null;
  }>(
    `SELECT m.id AS monitor_id, c.success, c.response_time_ms, c.ssl_expires_at
     FROM unnest($1::uuid[], $2::int[]) AS m(id, depth)
     CROSS JOIN LATERAL (
       SELECT success, response_time_ms, ssl_expires_at FROM checks
       WHERE monitor_id = m.id ORDER BY checked_at DESC, id DESC LIMIT m.depth
     ) c`,
    [needed.map((w) => w.monitorId), needed.map((w) => w.depth)],
  );
  for (const r of rows) {
    const list = history.get(r.monitor_id) ?? [];
    list.push({
      success: r.success,
      response_time_ms: r.response_time_ms,
      ssl_expires_at: iso(r.ssl_expires_at),
    });
    history.set(r.monitor_id, list);
  }
  return history;
}
