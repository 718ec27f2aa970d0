import type { Check } from "../checks/check.ts";
import { iso } from "../db/rows.ts";

/** What a monitor watches (API.md, "Monitor kinds"). */
export const MONITOR_TYPES = ["http", "tcp", "dns", "push"] as const;
export type MonitorType = typeof MONITOR_TYPES[number];

/** The HTTP methods an http monitor may use. */
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type HttpMethod = typeof HTTP_METHODS[number];

/** The DNS record types a dns monitor may ask for. */
export const RECORD_TYPES = ["A", "AAAA", "CNAME", "MX", "TXT", "NS"] as const;
export type RecordType = typeof RECORD_TYPES[number];

/** A check on a JSON body: `$.a.b[0] == "ok"`. */
export interface JsonAssertion {
  path: string;
  op: "==" | "!=" | "<" | ">" | "contains";
  value: unknown;
}

/** What request header values read in every answer. */
export const HEADER_MASK = "********";

/**
 * A monitor, as API.md shows it: the fields of every kind, those that do not
 * apply to its `type` being `null` (as for checks).
 */
export interface Monitor {
  id: string;
  name: string;
  type: MonitorType;
  interval_seconds: number;
  timeout_ms: number;
  enabled: boolean;
  // http
  url: string | null;
  method: HttpMethod | null;
  expected_status: string | null;
  keyword: string | null;
  keyword_absent: boolean | null;
  ignore_tls_errors: boolean | null;
  /** Request headers, values masked. */
  headers: Record<string, string> | null;
  body: string | null;
  json_assertion: JsonAssertion | null;
  follow_redirects: boolean | null;
  max_redirects: number | null;
  // tcp
  host: string | null;
  port: number | null;
  // dns
  hostname: string | null;
  record_type: RecordType | null;
  expected: string | null;
  resolver: string | null;
  // push
  push_token: string | null;
  /** Set by the HTTP layer, which knows the public origin. */
  push_url: string | null;
  grace_seconds: number | null;
  created_at: string;
  updated_at: string;
  status: "up" | "down" | "pending";
  last_check: Check | null;
  /** Inside a maintenance window now (set by the HTTP layer). */
  in_maintenance: boolean;
}

/** The columns {@linkcode monitorFromRow} reads. */
export const MONITOR_COLUMNS =
  "id, name, type, url, method, interval_seconds, timeout_ms, expected_status, keyword, keyword_absent, ignore_tls_errors, headers, body, json_assertion, follow_redirects, max_redirects, host, port, hostname, record_type, expected, resolver, push_token, grace_seconds, enabled, created_at, updated_at, status, last_check";

/** Request headers with their values masked. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(headers).map((k) => [k, HEADER_MASK]));
}

/** Maps a `monitors` row to its API shape. */
export function monitorFromRow(row: Record<string, unknown>): Monitor {
  const type = (row.type as MonitorType | undefined) ?? "http";
  const http = type === "http";
  const v = <T>(value: unknown, applies: boolean): T | null =>
    applies ? ((value ?? null) as T | null) : null;
  return {
    id: row.id as string,
    name: row.name as string,
    type,
    interval_seconds: row.interval_seconds as number,
    timeout_ms: row.timeout_ms as number,
    enabled: row.enabled as boolean,
    url: v(row.url, http),
    method: v(row.method, http),
    expected_status: v(row.expected_status, http),
    keyword: v(row.keyword, http),
    keyword_absent: v(row.keyword_absent, http),
    ignore_tls_errors: v(row.ignore_tls_errors, http),
    headers: http ? maskHeaders((row.headers as Record<string, string> | null) ?? {}) : null,
    body: v(row.body, http),
    json_assertion: v(row.json_assertion, http),
    follow_redirects: v(row.follow_redirects, http),
    max_redirects: v(row.max_redirects, http),
    host: v(row.host, type === "tcp"),
    port: v(row.port, type === "tcp"),
    hostname: v(row.hostname, type === "dns"),
    record_type: v(row.record_type, type === "dns"),
    expected: v(row.expected, type === "dns"),
    resolver: v(row.resolver, type === "dns"),
    push_token: v(row.push_token, type === "push"),
    push_url: null,
    grace_seconds: v(row.grace_seconds, type === "push"),
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
    status: row.status as Monitor["status"],
    last_check: (row.last_check as Check | null) ?? null,
    in_maintenance: false,
  };
}
