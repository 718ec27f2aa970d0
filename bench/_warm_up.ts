/** Shared by the benchmarks that store check results: the results, and a warm-up of stored ones. */
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import type { Database } from "../core/db/database.ts";

/** A check of `monitorId` that just ended: up (200) or down (503), in 40 ms. */
export function checkOutcome(monitorId: string, success: boolean): CheckOutcome {
  return {
    monitorId,
    success,
    statusCode: success ? 200 : 503,
    responseTimeMs: 40,
    errorMessage: success ? null : "Unexpected status 503 (expected 200-399)",
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 40,
  };
}

/** A new tenant named `name` with ten HTTP monitors that are not due for a day; their ids. */
export async function tenantWithMonitors(db: Database, name: string): Promise<string[]> {
  const [{ id: tenant }] = await db.query<{ id: number }>(
    "INSERT INTO tenants (name) VALUES ($1) RETURNING id",
    [name],
  );
  return (await db.query<{ id: string }>(
    `INSERT INTO monitors (tenant_id, name, type, url, method, interval_seconds, timeout_ms,
       expected_status, ignore_tls_errors, enabled, last_check, next_check_at)
     SELECT $1, 'm' || i, 'http', 'http://127.0.0.1:9/ok', 'GET', 3600, 10000, '200-399', false,
       true, '{}'::jsonb, now() + interval '1 day'
     FROM generate_series(0, 9) AS i RETURNING id`,
    [tenant],
  )).map((r) => r.id);
}

/**
 * Stores `count` single check results of `monitors` in turn through the
 * product's path, numbered from `from`: each monitor turns down and up again,
 * as a status page's components do.
 */
export async function storeTurns(
  db: Database,
  monitors: string[],
  count: number,
  from = 0,
): Promise<void> {
  for (let n = from; n < from + count; n++) {
    await storeResults(db, [checkOutcome(monitors[n % monitors.length], n % 4 < 2)]);
  }
}
