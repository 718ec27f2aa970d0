import type { CheckJob, CheckOutcome, HttpJob } from "../core/checks/worker_protocol.ts";
import { CheckFailure } from "./check_failure.ts";
import { defaultGuard, type Resolve } from "./guarded_lookup.ts";
import { type HopResult, httpHop } from "./http_hop.ts";
import { runDnsCheck } from "./dns_check.ts";
import { runTcpCheck } from "./tcp_check.ts";
import { describeNetworkError, verdict } from "./verdict.ts";

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

/** Runs one check of any kind with the monitor's timeout over the whole check. */
export function runCheck(job: CheckJob, opts: RunCheckOptions = {}): Promise<CheckOutcome> {
  switch (job.kind) {
    case "http":
      return runHttpCheck(job, opts);
    case "tcp":
      return runTcpCheck(job, opts);
    case "dns":
      return runDnsCheck(job, opts);
  }
}

/** An outcome with nothing found yet, for a check that starts now. */
export function emptyOutcome(monitorId: string): CheckOutcome {
  return {
    monitorId,
    success: false,
    statusCode: null,
    responseTimeMs: null,
    errorMessage: null,
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 0,
  };
}

/**
 * Runs one http check: the monitor's method, headers and body with its
 * timeout over the whole check (DNS to last byte), redirects followed (at
 * most `maxRedirects`, each hop checked against the private-address rule at
 * connect time) unless `followRedirects` is off, then the pure
 * {@linkcode verdict} over the last answer and the TLS certificate of the last
 * https hop.
 */
export async function runHttpCheck(
  job: HttpJob,
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
  const outcome = emptyOutcome(job.monitorId);
  let url = new URL(job.url);
  try {
    // Rejects when the timeout fires, whatever stage the check is in (DNS included).
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new CheckFailure("aborted"));
      signal.addEventListener("abort", () => reject(new CheckFailure("aborted")), { once: true });
    });
    aborted.catch(() => {});
    let hop: HopResult | undefined;
    let method: string = job.method;
    let body = job.body;
    for (let redirects = 0;; redirects++) {
      hop = await Promise.race([
        httpHop(url, {
          method,
          headers: job.headers,
          body: method === "GET" || method === "HEAD" ? null : body,
          guard,
          wantBody: job.keyword !== null || job.jsonAssertion !== null,
          signal,
        }),
        aborted,
      ]);
      if (hop.tls) {
        outcome.sslValid = hop.tls.valid;
        outcome.sslExpiresAt = hop.tls.expiresAt;
      }
      if (!hop.location || !job.followRedirects) break;
      if (redirects >= job.maxRedirects) {
        outcome.statusCode = hop.status;
        throw new CheckFailure(`Too many redirects (more than ${job.maxRedirects})`);
      }
      const next = new URL(hop.location, url);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        outcome.statusCode = hop.status;
        throw new CheckFailure(`Redirect to unsupported scheme ${next.protocol}`);
      }
      url = next;
      // 303, and 301/302 after a POST, turn into a GET without a body, as browsers do.
      if (hop.status === 303 || ((hop.status === 301 || hop.status === 302) && method === "POST")) {
        method = "GET";
        body = null;
      }
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
