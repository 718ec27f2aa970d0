import type { Database, Queryable } from "../db/database.ts";
import { iso } from "../db/rows.ts";
import { storeResults } from "./store_results.ts";
import type { CheckOutcome } from "./worker_protocol.ts";

/** One call of a job to its push URL. */
export interface PushCall {
  /** `ping` (the plain URL), `start` or `fail`. */
  kind: "ping" | "start" | "fail";
  method: string;
  /** `status=up|down`. */
  status?: "up" | "down";
  /** `msg`: the job's words, kept as the error of a failed call. */
  message?: string;
  /** `ping`: the run time the job measured itself, in ms. */
  pingMs?: number;
  address?: string;
}

/** A call as the monitor page lists it. */
export interface PushCallView {
  kind: string;
  method: string;
  message: string | null;
  address: string | null;
  at: string;
}

/**
 * Takes a push call: `start` notes the time; any other call is stored as a
 * check (failed for `/fail` or `status=down`, with `msg` as its error; the
 * run time from `start`, or `ping`, as its response time) and a successful
 * one moves the monitor's deadline to a period plus grace from now. Answers
 * `"missing"` for a token no monitor has.
 */
export async function receivePush(
  db: Database,
  token: string,
  call: PushCall,
  now = new Date(),
): Promise<"missing" | "stored" | "started"> {
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(token)) return "missing";
  const [m] = await db.query<{
    id: string;
    push_started_at: Date | string | null;
    interval_seconds: number;
    grace_seconds: number;
  }>(
    `SELECT id, push_started_at, interval_seconds, grace_seconds FROM monitors
     WHERE push_token = $1 AND type = 'push'`,
    [token],
  );
  if (!m) return "missing";
  await db.query(
    "INSERT INTO push_calls (monitor_id, kind, method, address, message) VALUES ($1, $2, $3, $4, $5)",
    [m.id, call.kind, call.method, call.address ?? null, call.message ?? null],
  );
  if (call.kind === "start") {
    await db.query("UPDATE monitors SET push_started_at = $2 WHERE id = $1", [
      m.id,
      now.toISOString(),
    ]);
    return "started";
  }
  const failed = call.kind === "fail" || call.status === "down";
  const started = m.push_started_at ? new Date(iso(m.push_started_at)!).getTime() : null;
  const runMs = call.pingMs ?? (started !== null ? now.getTime() - started : null);
  const outcome: CheckOutcome = {
    monitorId: m.id,
    success: !failed,
    statusCode: null,
    responseTimeMs: runMs === null ? null : Math.max(0, Math.round(runMs)),
    errorMessage: failed ? (call.message || "The job reported a failure") : null,
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: now.toISOString(),
    durationMs: 0,
  };
  if (!failed) {
    await db.query(
      `UPDATE monitors SET push_started_at = NULL,
         next_check_at = $2::timestamptz + make_interval(secs => interval_seconds + grace_seconds)
       WHERE id = $1`,
      [m.id, now.toISOString()],
    );
  } else {
    await db.query("UPDATE monitors SET push_started_at = NULL WHERE id = $1", [m.id]);
  }
  await storeResults(db, [outcome], () => now);
  return "stored";
}

/** A push monitor's latest calls, newest first. */
export async function listPushCalls(
  db: Queryable,
  monitorId: string,
  limit = 20,
): Promise<PushCallView[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT kind, method, message, address, at FROM push_calls WHERE monitor_id = $1
     ORDER BY at DESC, id DESC LIMIT $2`,
    [monitorId, limit],
  );
  return rows.map((r) => ({
    kind: r.kind as string,
    method: r.method as string,
    message: (r.message as string | null) ?? null,
    address: (r.address as string | null) ?? null,
    at: iso(r.at)!,
  }));
}

/** Deletes push calls older than a week. */
export async function prunePushCalls(db: Queryable): Promise<void> {
  await db.query("DELETE FROM push_calls WHERE at < now() - interval '7 days'");
}
