import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns";
import { checkServerIdentity, type PeerCertificate, type TLSSocket } from "node:tls";
import type { CheckJob, CheckOutcome } from "../core/checks/worker_protocol.ts";
import { parseExpectedStatus, statusMatches } from "../core/monitors/expected_status.ts";
import { isIpLiteral, isPrivateAddress, isPrivateHostName } from "../core/net/private_address.ts";

/** Redirects followed at most (API.md). */
export const MAX_REDIRECTS = 5;
/** The keyword is searched in at most this much of the body. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@linkcode runCheck}. */
export interface RunCheckOptions {
  /** Allow loopback, private and link-local addresses. @default false */
  allowPrivateTargets?: boolean;
  /** Aborts the check (on top of the monitor's timeout). */
  signal?: AbortSignal;
  /** Which addresses are refused when private targets are not allowed. @default isPrivateAddress */
  isBlocked?: (address: string) => boolean;
  /** The resolver used at connect time. @default node:dns lookup (getaddrinfo) */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>;
}

function systemResolve(host: string): Promise<{ address: string; family: number }[]> {
  return new Promise((resolve, reject) => {
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses as { address: string; family: number }[]);
    });
  });
}

/** The address policy of one check. */
interface Guard {
  allowPrivate: boolean;
  isBlocked: (address: string) => boolean;
  resolve: (host: string) => Promise<{ address: string; family: number }[]>;
}

/** A failure with the message a person needs to read. */
class CheckFailure extends Error {
  override name = "CheckFailure";
}

interface TlsInfo {
  valid: boolean;
  expiresAt: string | null;
  problem: string | null;
}

interface HopResult {
  status: number;
  location: string | null;
  body: Uint8Array | null;
  tls: TlsInfo | null;
}

function tlsProblem(code: string | null, host: string): string {
  switch (code) {
    case "CERT_HAS_EXPIRED":
      return "TLS certificate expired";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
      return "TLS certificate is self-signed";
    case "CERT_NOT_YET_VALID":
      return "TLS certificate is not yet valid";
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "UNABLE_TO_GET_ISSUER_CERT":
      return "TLS certificate chain is incomplete or untrusted";
    case "HOSTNAME_MISMATCH":
      return `TLS certificate does not match host ${host}`;
    default:
      return `TLS certificate is invalid (${code})`;
  }
}

function readTls(socket: TLSSocket, host: string): TlsInfo {
  const cert = socket.getPeerCertificate() as PeerCertificate | undefined;
  const expiresAt = cert?.valid_to ? new Date(cert.valid_to).toISOString() : null;
  let code: string | null = socket.authorized
    ? null
    : String(socket.authorizationError ?? "UNKNOWN");
  if (!code && cert && cert.subject) {
    if (checkServerIdentity(host, cert) !== undefined) {
      code = "HOSTNAME_MISMATCH";
    }
  }
  // Dates first: "expired" is what a person needs to hear, whatever else the chain lacks.
  const now = Date.now();
  if (cert?.valid_to && Date.parse(cert.valid_to) < now) code = "CERT_HAS_EXPIRED";
  else if (cert?.valid_from && Date.parse(cert.valid_from) > now) code = "CERT_NOT_YET_VALID";
  return {
    valid: code === null,
    expiresAt,
    problem: code ? tlsProblem(code, host) : null,
  };
}

/** Messages for network errors, by code. */
function describeNetworkError(err: NodeJS.ErrnoException, url: URL): string {
  const host = url.hostname;
  switch (err.code) {
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return `DNS lookup failed for ${host}`;
    case "ECONNREFUSED":
      return `Connection refused by ${host}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
    case "ECONNRESET":
      return `Connection reset by ${host}`;
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return `Host ${host} is unreachable`;
    default:
      if (err.message?.includes("Blocked:")) return err.message;
      return `Request failed: ${err.message || err.code || "unknown error"}`;
  }
}

/**
 * The connect-time lookup: resolves once, refuses private answers, and hands
 * the socket exactly the addresses it checked, so a DNS answer that changes
 * between validation and connection cannot slip through.
 */
function guardedLookup(guard: Guard) {
  return function lookup(
    hostname: string,
    options: { all?: boolean; family?: number },
    callback: (
      err: Error | null,
      address: string | { address: string; family: number }[],
      family?: number,
    ) => void,
  ) {
    guard.resolve(hostname).then((list) => {
      if (list.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`no addresses for ${hostname}`);
        e.code = "ENOTFOUND";
        return callback(e, "");
      }
      if (!guard.allowPrivate) {
        const bad = list.find((a) => guard.isBlocked(a.address));
        if (bad) {
          const e: NodeJS.ErrnoException = new Error(
            `Blocked: ${hostname} resolves to private address ${bad.address}`,
          );
          e.code = "EBLOCKED";
          return callback(e, "");
        }
      }
      if (options.all) return callback(null, list);
      callback(null, list[0].address, list[0].family);
    }, (err) => callback(err, ""));
  };
}

function oneHop(
  url: URL,
  job: CheckJob,
  guard: Guard,
  wantBody: boolean,
  signal: AbortSignal,
): Promise<HopResult> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!guard.allowPrivate) {
    if (isIpLiteral(host) && guard.isBlocked(host)) {
      throw new CheckFailure(`Blocked: ${host} is a private address`);
    }
    if (isPrivateHostName(host)) {
      throw new CheckFailure(`Blocked: ${host} is a local name`);
    }
  }
  const isHttps = url.protocol === "https:";
  const mod = isHttps ? https : http;
  return new Promise<HopResult>((resolve, reject) => {
    let tls: TlsInfo | null = null;
    const req = mod.request(url, {
      method: job.method,
      agent: false,
      lookup: guardedLookup(guard) as never,
      headers: {
        "User-Agent": "V-Insight/1.0 (uptime monitor)",
        "Accept": "*/*",
        "Accept-Encoding": "identity",
      },
      ...(isHttps
        ? {
          rejectUnauthorized: false,
          servername: isIpLiteral(host) ? undefined : host,
        }
        : {}),
    });
    const onAbort = () => req.destroy(new CheckFailure("aborted"));
    signal.addEventListener("abort", onAbort, { once: true });
    const done = () => signal.removeEventListener("abort", onAbort);
    req.on("error", (err) => {
      done();
      reject(err);
    });
    req.on("response", (res) => {
      if (isHttps) tls = readTls(res.socket as TLSSocket, host);
      const status = res.statusCode ?? 0;
      const location = status >= 300 && status < 400 ? res.headers.location ?? null : null;
      if (!wantBody || location || job.method === "HEAD") {
        res.destroy();
        done();
        req.destroy();
        resolve({ status, location, body: null, tls });
        return;
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        done();
        const body = new Uint8Array(Math.min(size, MAX_BODY_BYTES));
        let at = 0;
        for (const c of chunks) {
          const take = Math.min(c.byteLength, body.byteLength - at);
          body.set(c.subarray(0, take), at);
          at += take;
        }
        resolve({ status, location, body, tls });
      };
      res.on("data", (chunk: Uint8Array) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= MAX_BODY_BYTES) {
          finish();
          res.destroy();
          req.destroy();
        }
      });
      res.on("end", finish);
      res.on("error", (err) => {
        if (!finished) {
          done();
          reject(err);
        }
      });
    });
    req.end();
  });
}

/**
 * Runs one check: GET or HEAD with the monitor's timeout over the whole check
 * (DNS to last byte), at most {@linkcode MAX_REDIRECTS} redirects each checked
 * against the private-address rule at connect time, the status against
 * `expected_status`, the keyword in the first MiB of the body, and the TLS
 * certificate of the last https hop.
 */
export async function runCheck(
  job: CheckJob,
  opts: RunCheckOptions = {},
): Promise<CheckOutcome> {
  const guard: Guard = {
    allowPrivate: opts.allowPrivateTargets ?? false,
    isBlocked: opts.isBlocked ?? isPrivateAddress,
    resolve: opts.resolve ?? systemResolve,
  };
  const started = performance.now();
  const checkedAt = new Date().toISOString();
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
    checkedAt,
    durationMs: 0,
  };
  let url = new URL(job.url);
  try {
    const ranges = parseExpectedStatus(job.expectedStatus);
    // Rejects when the timeout fires, whatever stage the check is in (DNS included).
    const aborted = new Promise<never>((_, reject) => {
      if (signal.aborted) reject(new CheckFailure("aborted"));
      signal.addEventListener(
        "abort",
        () => reject(new CheckFailure("aborted")),
        { once: true },
      );
    });
    aborted.catch(() => {});
    let hop: HopResult | undefined;
    for (let redirects = 0;; redirects++) {
      hop = await Promise.race([
        oneHop(url, job, guard, job.keyword !== null, signal),
        aborted,
      ]);
      if (hop.tls) {
        outcome.sslValid = hop.tls.valid;
        outcome.sslExpiresAt = hop.tls.expiresAt;
      }
      if (!hop.location) break;
      if (redirects >= MAX_REDIRECTS) {
        outcome.statusCode = hop.status;
        throw new CheckFailure(
          `Too many redirects (more than ${MAX_REDIRECTS})`,
        );
      }
      const next = new URL(hop.location, url);
      if (next.protocol !== "http:" && next.protocol !== "https:") {
        outcome.statusCode = hop.status;
        throw new CheckFailure(
          `Redirect to unsupported scheme ${next.protocol}`,
        );
      }
      url = next;
    }
    outcome.statusCode = hop.status;
    outcome.responseTimeMs = Math.round(performance.now() - started);
    const problems: string[] = [];
    if (!statusMatches(ranges, hop.status)) {
      problems.push(
        `Unexpected status ${hop.status} (expected ${job.expectedStatus})`,
      );
    }
    if (job.keyword !== null && job.method !== "HEAD") {
      const text = new TextDecoder().decode(hop.body ?? new Uint8Array());
      if (!text.includes(job.keyword)) {
        problems.push(`Keyword "${job.keyword}" not found`);
      }
    }
    if (hop.tls && !hop.tls.valid && !job.ignoreTlsErrors) {
      problems.push(hop.tls.problem!);
    }
    outcome.success = problems.length === 0;
    outcome.errorMessage = problems.length ? problems.join("; ") : null;
  } catch (err) {
    outcome.success = false;
    if (timeout.aborted) {
      outcome.errorMessage = `Timeout after ${job.timeoutMs} ms`;
    } else if (err instanceof CheckFailure) outcome.errorMessage = err.message;
    else {outcome.errorMessage = describeNetworkError(
        err as NodeJS.ErrnoException,
        url,
      );}
  }
  outcome.durationMs = performance.now() - started;
  return outcome;
}
