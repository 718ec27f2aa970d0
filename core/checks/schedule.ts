import type { Queryable } from "../db/database.ts";
import { parseExpectedStatus } from "../monitors/expected_status.ts";
import type { CheckJob } from "./worker_protocol.ts";

/** A claimed monitor: the job for the worker and how late it was. */
export interface ClaimedCheck {
  job: CheckJob;
  lagSeconds: number;
}

/**
 * Claims up to `limit` due monitors and moves each one's `next_check_at` a
 * full interval forward from when it was due, so the rhythm holds and several
 * instances split the work: rows locked by another instance are skipped. A
 * monitor that has never been checked waits a random half to whole interval
 * after its first check, which spreads a bulk import over the interval. A
 * monitor that fell more than an interval behind restarts its rhythm from now.
 */
export async function claimDueChecks(
  db: Queryable,
  limit: number,
): Promise<ClaimedCheck[]> {
  const rows = await db.query<{
    id: string;
    url: string;
    method: "GET" | "HEAD";
    timeout_ms: number;
    expected_status: string;
    keyword: string | null;
    ignore_tls_errors: boolean;
    lag: number;
  }>(
    `WITH due AS (
       SELECT id, next_check_at, last_check IS NULL AS first FROM monitors
       WHERE enabled AND next_check_at <= now()
       ORDER BY next_check_at LIMIT $1
       FOR UPDATE SKIP LOCKED
     )
     UPDATE monitors m SET next_check_at = CASE
         WHEN due.first THEN now() + make_interval(secs => m.interval_seconds * (0.5 + 0.5 * random()))
         WHEN due.next_check_at + make_interval(secs => m.interval_seconds) > now()
           THEN due.next_check_at + make_interval(secs => m.interval_seconds)
         ELSE now() + make_interval(secs => m.interval_seconds)
       END
     FROM due WHERE m.id = due.id
     RETURNING m.id, m.url, m.method, m.timeout_ms, m.expected_status, m.keyword,
       m.ignore_tls_errors, extract(epoch FROM now() - due.next_check_at)::float8 AS lag`,
    [limit],
  );
  return rows.map((r) => ({
    job: {
      monitorId: r.id,
      url: r.url,
      method: r.method,
      timeoutMs: r.timeout_ms,
      expectedStatus: parseExpectedStatus(r.expected_status),
      expectedStatusText: r.expected_status,
      keyword: r.keyword,
      ignoreTlsErrors: r.ignore_tls_errors,
    },
    lagSeconds: Math.max(0, Number(r.lag)),
  }));
}
