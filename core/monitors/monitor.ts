import type { Check } from "../checks/check.ts";
import { iso } from "../db/rows.ts";

/** A monitor, as API.md shows it. */
export interface Monitor {
  id: string;
  name: string;
  url: string;
  method: "GET" | "HEAD";
  interval_seconds: number;
  timeout_ms: number;
  expected_status: string;
  keyword: string | null;
  ignore_tls_errors: boolean;
  enabled: boolean;
  created_at: string;
  updated_at: string;
  status: "up" | "down" | "pending";
  last_check: Check | null;
}

/** The columns {@linkcode monitorFromRow} reads. */
export const MONITOR_COLUMNS =
  "id, name, url, method, interval_seconds, timeout_ms, expected_status, keyword, ignore_tls_errors, enabled, created_at, updated_at, status, last_check";

/** Maps a `monitors` row to its API shape. */
export function monitorFromRow(row: Record<string, unknown>): Monitor {
  return {
    id: row.id as string,
    name: row.name as string,
    url: row.url as string,
    method: row.method as "GET" | "HEAD",
    interval_seconds: row.interval_seconds as number,
    timeout_ms: row.timeout_ms as number,
    expected_status: row.expected_status as string,
    keyword: (row.keyword as string | null) ?? null,
    ignore_tls_errors: row.ignore_tls_errors as boolean,
    enabled: row.enabled as boolean,
    created_at: iso(row.created_at) as string,
    updated_at: iso(row.updated_at) as string,
    status: row.status as Monitor["status"],
    last_check: (row.last_check as Check | null) ?? null,
  };
}
