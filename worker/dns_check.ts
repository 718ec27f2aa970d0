import type { CheckJob, CheckOutcome } from "../core/checks/worker_protocol.ts";
import { isPrivateAddress, isPrivateHostName } from "../core/net/private_address.ts";
import type { RunCheckOptions } from "./run_check.ts";
import { emptyOutcome } from "./run_check.ts";

type DnsJob = Extract<CheckJob, { kind: "dns" }>;

/** A resolver setting (`ip` or `ip:port`, IPv6 in brackets with a port) as Deno's nameServer. */
export function parseResolver(text: string): { ipAddr: string; port: number } {
  const v6 = /^\[([0-9a-fA-F:]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { ipAddr: v6[1], port: v6[2] ? Number(v6[2]) : 53 };
  if (text.includes(":") && text.split(":").length > 2) return { ipAddr: text, port: 53 };
  const [ip, port] = text.split(":");
  return { ipAddr: ip, port: port ? Number(port) : 53 };
}

/** One answer as a person writes it: `203.0.113.7`, `10 mail.example.com`, `v=spf1 …`. */
export function formatAnswers(type: DnsJob["recordType"], records: unknown[]): string[] {
  const name = (s: string) => s.replace(/\.$/, "");
  return records.map((r) => {
    switch (type) {
      case "MX": {
        const mx = r as { preference: number; exchange: string };
        return `${mx.preference} ${name(mx.exchange)}`;
      }
      case "TXT":
        return (r as string[]).join("");
      case "CNAME":
      case "NS":
        return name(String(r));
      default:
        return String(r);
    }
  });
}

/** Whether `expected` equals one of the answers (case and a trailing dot do not count). */
export function matchesExpected(expected: string, answers: string[]): boolean {
  const norm = (s: string) => s.trim().replace(/\.$/, "").toLowerCase();
  return answers.some((a) => norm(a) === norm(expected));
}

/**
 * A dns check: asks the monitor's resolver (or the system's) for its record
 * type, and succeeds when there is an answer and, with `expected`, one of the
 * answers equals it; the lookup time is the response time. The resolver's
 * address is checked against the private-address rule.
 */
export async function runDnsCheck(job: DnsJob, opts: RunCheckOptions = {}): Promise<CheckOutcome> {
  const outcome = emptyOutcome(job.monitorId);
  const started = performance.now();
  const allowPrivate = opts.allowPrivateTargets ?? false;
  const isBlocked = opts.isBlocked ?? isPrivateAddress;
  const timeout = AbortSignal.timeout(job.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    if (!allowPrivate && isPrivateHostName(job.hostname)) {
      throw new Error(`Blocked: ${job.hostname} is a local name`);
    }
    const nameServer = job.resolver ? parseResolver(job.resolver) : undefined;
    if (nameServer && !allowPrivate && isBlocked(nameServer.ipAddr)) {
      throw new Error(`Blocked: resolver ${job.resolver} is a private address`);
    }
    let records: unknown[];
    try {
      records = await Deno.resolveDns(job.hostname, job.recordType, {
        ...(nameServer ? { nameServer } : {}),
        signal,
      }) as unknown[];
    } catch (e) {
      if (timeout.aborted) {
        throw new Error(`Timeout after ${job.timeoutMs} ms asking for ${job.hostname}`);
      }
      const err = e as Error;
      // The resolver says the same for a name that does not exist and one without this type.
      if (err.name === "NotFound") {
        throw new Error(`DNS: no ${job.recordType} record for ${job.hostname}`);
      }
      throw new Error(`DNS lookup failed for ${job.hostname}: ${err.message}`);
    }
    outcome.responseTimeMs = Math.round(performance.now() - started);
    const answers = formatAnswers(job.recordType, records);
    if (answers.length === 0) {
      throw new Error(`DNS: no ${job.recordType} record for ${job.hostname}`);
    }
    if (job.expected !== null && !matchesExpected(job.expected, answers)) {
      throw new Error(`expected ${job.expected}, got ${answers.join(", ")}`);
    }
    outcome.success = true;
  } catch (e) {
    outcome.success = false;
    outcome.errorMessage = (e as Error).message;
  }
  outcome.durationMs = performance.now() - started;
  return outcome;
}
