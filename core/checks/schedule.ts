import type { Queryable } from "../db/database.ts";
import { parseExpectedStatus } from "../monitors/expected_status.ts";
import type { CheckJob, CheckOutcome, HttpJob } from "./worker_protocol.ts";

/** A claimed monitor: the job for the worker (or a missed push period) and how late it was. */
export interface ClaimedCheck {
  job: CheckJob | MissedPush;
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
  const rows = await db.query<Record<string, unknown> & { id: string; type: string; lag: number }>(
    `WITH due AS (
       SELECT id, next_check_at, last_check IS NULL AND type <> 'push' AS first FROM monitors
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
     RETURNING m.id, m.type, m.url, m.method, m.timeout_ms, m.expected_status, m.keyword,
       m.keyword_absent, m.ignore_tls_errors, m.headers, m.body, m.json_assertion,
       m.follow_redirects, m.max_redirects, m.host, m.port, m.hostname, m.record_type, m.expected,
       m.resolver, m.interval_seconds, m.grace_seconds,
       extract(epoch FROM now() - due.next_check_at)::float8 AS lag`,
    [limit],
  );
  return rows.map((r) => ({ job: jobOf(r), lagSeconds: Math.max(0, Number(r.lag)) }));
}

/** A due push monitor: no probe runs; its missed period is stored as a failed check. */
export interface MissedPush {
  kind: "push";
  monitorId: string;
  /** `interval_seconds + grace_seconds`, for the message. */
  periodSeconds: number;
}

function jobOf(r: Record<string, unknown>): CheckJob | MissedPush {
  const base = { monitorId: r.id as string, timeoutMs: r.timeout_ms as number };
  switch (r.type) {
    case "tcp":
      return { ...base, kind: "tcp", host: r.host as string, port: r.port as number };
    case "dns":
      return {
        ...base,
        kind: "dns",
        hostname: r.hostname as string,
        recordType: r.record_type as "A",
        expected: (r.expected as string | null) ?? null,
        resolver: (r.resolver as string | null) ?? null,
      };
    case "push":
      return {
        kind: "push",
        monitorId: base.monitorId,
        periodSeconds: (r.interval_seconds as number) + (r.grace_seconds as number),
      };
    default: {
      const expected = (r.expected_status as string | null) ?? "200-399";
      return {
        ...base,
        kind: "http",
        url: r.url as string,
        method: r.method as "GET",
        headers: (r.headers as Record<string, string> | null) ?? {},
        body: (r.body as string | null) ?? null,
        expectedStatus: parseExpectedStatus(expected),
        expectedStatusText: expected,
        keyword: (r.keyword as string | null) ?? null,
        keywordAbsent: (r.keyword_absent as boolean | null) ?? false,
        jsonAssertion: (r.json_assertion as HttpJob["jsonAssertion"]) ?? null,
        followRedirects: (r.follow_redirects as boolean | null) ?? true,
        maxRedirects: (r.max_redirects as number | null) ?? 10,
        ignoreTlsErrors: (r.ignore_tls_errors as boolean | null) ?? false,
      };
    }
  }
}

/** The failed check stored for a push monitor's missed period. */
export function missedPushOutcome(miss: MissedPush, now = new Date()): CheckOutcome {
  return {
    monitorId: miss.monitorId,
    success: false,
    statusCode: null,
    responseTimeMs: null,
    errorMessage: `No ping within ${formatSeconds(miss.periodSeconds)}`,
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: now.toISOString(),
    durationMs: 0,
  };
}

function formatSeconds(s: number): string {
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
