import type { CheckJob, CheckOutcome } from "../core/checks/worker_protocol.ts";
import { isIpLiteral } from "../core/net/private_address.ts";
import { CheckFailure } from "./check_failure.ts";
import { assertHostAllowed, defaultGuard } from "./guarded_lookup.ts";
import type { RunCheckOptions } from "./run_check.ts";
import { emptyOutcome } from "./run_check.ts";

type TcpJob = Extract<CheckJob, { kind: "tcp" }>;

/** What a failed connection attempt says, for `host:port`. */
function describeConnectError(err: Error & { code?: string }, where: string): string {
  const name = err.name;
  if (name === "ConnectionRefused" || err.code === "ECONNREFUSED") {
    return `Connection refused by ${where}`;
  }
  if (name === "ConnectionReset") return `Connection reset by ${where}`;
  if (/unreachable/i.test(err.message)) return `Host ${where} is unreachable`;
  return `Cannot connect to ${where}: ${err.message}`;
}

/**
 * A tcp check: resolves the host once (refusing private answers unless they
 * are allowed), connects to the first address it checked, and succeeds when
 * the connection opens within the timeout; the connect time is the response
 * time.
 */
export async function runTcpCheck(job: TcpJob, opts: RunCheckOptions = {}): Promise<CheckOutcome> {
  const guard = defaultGuard({
    allowPrivate: opts.allowPrivateTargets ?? false,
    ...(opts.isBlocked ? { isBlocked: opts.isBlocked } : {}),
    ...(opts.resolve ? { resolve: opts.resolve } : {}),
  });
  const outcome = emptyOutcome(job.monitorId);
  const started = performance.now();
  const host = job.host.replace(/^\[|\]$/g, "");
  const where = `${job.host}:${job.port}`;
  const timeout = AbortSignal.timeout(job.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let conn: Deno.TcpConn | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(new CheckFailure("aborted"));
    signal.addEventListener("abort", () => reject(new CheckFailure("aborted")), { once: true });
  });
  aborted.catch(() => {});
  try {
    assertHostAllowed(host, guard);
    let address = host;
    if (!isIpLiteral(host)) {
      const list = await Promise.race([guard.resolve(host), aborted]).catch((e) => {
        if (e instanceof CheckFailure) throw e;
        throw new CheckFailure(`DNS lookup failed for ${job.host}`);
      });
      if (list.length === 0) throw new CheckFailure(`DNS lookup failed for ${job.host}`);
      const bad = guard.allowPrivate ? undefined : list.find((a) => guard.isBlocked(a.address));
      if (bad) {
        throw new CheckFailure(`Blocked: ${job.host} resolves to private address ${bad.address}`);
      }
      address = list[0].address;
    }
    const connecting = Deno.connect({ hostname: address, port: job.port });
    // A connection that opens after the timeout is closed at once.
    connecting.then((c) => signal.aborted && c.close(), () => {});
    conn = await Promise.race([connecting, aborted]);
    outcome.responseTimeMs = Math.round(performance.now() - started);
    outcome.success = true;
  } catch (err) {
    if (timeout.aborted) {
      outcome.errorMessage = `Timeout after ${job.timeoutMs} ms connecting to ${where}`;
    } else if (err instanceof CheckFailure) outcome.errorMessage = err.message;
    else outcome.errorMessage = describeConnectError(err as Error, where);
  } finally {
    try {
      conn?.close();
    } catch {
      // already closed
    }
  }
  outcome.durationMs = performance.now() - started;
  return outcome;
}
