import { checkJsonAssertion, type JsonAssertion } from "./json_assertion.ts";
import type { TlsInfo } from "./read_tls.ts";

/** Inclusive status ranges, e.g. `[[200, 299], [304, 304]]`. */
export type StatusRanges = readonly (readonly [number, number])[];

/** What the verdict needs of a job. */
export interface VerdictRules {
  method: string;
  expectedStatus: StatusRanges;
  /** `expected_status` as the user wrote it, for the message. */
  expectedStatusText: string;
  keyword: string | null;
  /** The keyword must NOT appear. @default false */
  keywordAbsent?: boolean;
  jsonAssertion?: JsonAssertion | null;
  ignoreTlsErrors: boolean;
}

/** What the last hop answered. */
export interface HopAnswer {
  status: number;
  body: Uint8Array | null;
  tls: TlsInfo | null;
}

/** True when `status` falls in one of `ranges`. */
export function statusMatches(ranges: StatusRanges, status: number): boolean {
  return ranges.some(([lo, hi]) => status >= lo && status <= hi);
}

/**
 * Decides whether a check that got an answer succeeded: the status against
 * the expected ranges, the keyword in (or, with `keywordAbsent`, not in) the
 * body and the JSON assertion on it (not for HEAD), and the TLS
 * certificate unless its errors are ignored. Pure; every problem found is
 * named, joined with "; ".
 */
export function verdict(
  answer: HopAnswer,
  rules: VerdictRules,
): { success: boolean; errorMessage: string | null } {
  const problems: string[] = [];
  if (!statusMatches(rules.expectedStatus, answer.status)) {
    problems.push(`Unexpected status ${answer.status} (expected ${rules.expectedStatusText})`);
  }
  const text = () => new TextDecoder().decode(answer.body ?? new Uint8Array());
  if (rules.keyword !== null && rules.method !== "HEAD") {
    const found = text().includes(rules.keyword);
    if (rules.keywordAbsent && found) problems.push(`Keyword "${rules.keyword}" found`);
    if (!rules.keywordAbsent && !found) problems.push(`Keyword "${rules.keyword}" not found`);
  }
  if (rules.jsonAssertion && rules.method !== "HEAD") {
    const problem = checkJsonAssertion(text(), rules.jsonAssertion);
    if (problem) problems.push(problem);
  }
  if (answer.tls && !answer.tls.valid && !rules.ignoreTlsErrors) {
    problems.push(answer.tls.problem ?? "TLS certificate is invalid");
  }
  return {
    success: problems.length === 0,
    errorMessage: problems.length ? problems.join("; ") : null,
  };
}

/** The sentence for a network error of a request to `url`, by its code. */
export function describeNetworkError(err: NodeJS.ErrnoException, url: URL): string {
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
