import type { CheckJob, CheckOutcome } from "../core/checks/worker_protocol.ts";
import { CheckFailure } from "./check_failure.ts";
import { defaultGuard, type Resolve } from "./guarded_lookup.ts";
import { type HopResult, httpHop } from "./http_hop.ts";
import { describeNetworkError, verdict } from "./verdict.ts";

/** Redirects followed at most (API.md). */
export const MAX_REDIRECTS = 5;

/** Options of {@linkcode runCheck}. */
export interface RunCheckOptions {
  /** Allow loopback, private and link-local addresses. @default false */
  allowPrivateTargets?: boolean;
  /** Aborts the check (on top of the monitor's timeout). */
  signal?: AbortSignal;
  /** Which addresses are refused when private targets are not allowed. @default isPrivateAddress */
  isBlocked?: (address: string) => boolean;
  /** The resolver used at connect time. @default node:dns lookup (getaddrinfo) */
  resolve?: Resolve;
}

/**
 * Runs one check: GET or HEAD with the monitor's timeout over the whole check
 * (DNS to last byte), at most {@linkcode MAX_REDIRECTS} redirects each checked
 * against the private-address rule at connect time, then the pure
 * {@linkcode verdict} over the last answer and the TLS certificate of the last
 * https hop.
 */
export async function runCheck(
  job: CheckJob,
  opts: RunCheckOptions = {},
): Promise<CheckOutcome> {
  const guard = defaultGuard({
    allowPrivate: opts.allowPrivateTargets ?? false,
    ...(opts.isBlocked ? { isBlocked: opts.isBlocked } : {}),
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  });
  const started = performance.now();
  const timeout = AbortSignal.timeout(job.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const outcome: CheckOutcome = {
    monitorId: job.monitorId,
    success: false,
    statusCode: null,
    responseTimeMs: null,
    errorMessage: null,
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 0,
  };
  let url = new URL(job.url);
  try {
    // Rejects when the timeout fires, whatever stage the check is in (DNS included).
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new CheckFailure("aborted"));
      signal.addEventListener("abort", () => reject(new CheckFailure("aborted")), { once: true });
    });
    aborted.catch(() => {});
    let hop: HopResult | undefined;
    for (let redirects = 0;; redirects++) {
      hop = await Promise.race([
        httpHop(url, { method: job.method, guard, wantBody: job.keyword !== null, signal }),
        aborted,
      ]);
      if (hop.tls) {
        outcome.sslValid = hop.tls.valid;
        outcome.sslExpiresAt = hop.tls.expiresAt;
      }
      if (!hop.location) break;
      if (redirects >= MAX_REDIRECTS) {
        outcome.statusCode = hop.status;
        throw new CheckFailure(`Too many redirects (more than ${MAX_REDIRECTS})`);
      }
      const next = new URL(hop.location, url);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        outcome.statusCode = hop.status;
        throw new CheckFailure(`Redirect to unsupported scheme ${next.protocol}`);
      }
      url = next;
    }
    outcome.statusCode = hop.status;
    outcome.responseTimeMs = Math.round(performance.now() - started);
    Object.assign(outcome, verdict(hop, job));
  } catch (err) {
    outcome.success = false;
    if (timeout.aborted) outcome.errorMessage = `Timeout after ${job.timeoutMs} ms`;
    else if (err instanceof CheckFailure) outcome.errorMessage = err.message;
    else outcome.errorMessage = describeNetworkError(err as NodeJS.ErrnoException, url);
  }
  outcome.durationMs = performance.now() - started;
  return outcome;
}
