import { iso } from "../db/rows.ts";

/** A stored check, as API.md shows it. */
export interface Check {
  monitor_id: string;
  success: boolean;
  status_code: number | null;
  response_time_ms: number | null;
  error_message: string | null;
  ssl_valid: boolean | null;
  ssl_expires_at: string | null;
  checked_at: string;
}

/** Maps a `checks` row to its API shape. */
export function checkFromRow(row: Record<string, unknown>): Check {
  return {
    monitor_id: row.monitor_id as string,
    success: row.success as boolean,
    status_code: (row.status_code as number | null) ?? null,
    response_time_ms: (row.response_time_ms as number | null) ?? null,
    error_message: (row.error_message as string | null) ?? null,
    ssl_valid: (row.ssl_valid as boolean | null) ?? null,
    ssl_expires_at: iso(row.ssl_expires_at),
    checked_at: iso(row.checked_at) as string,
  };
}
