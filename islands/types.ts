/** API shapes the islands read (API.md). */

export type EventType = "monitor_check" | "incident_created" | "incident_resolved";

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

export interface Incident {
  id: string;
  monitor_id: string;
  alert_rule_id: string | null;
  rule_name: string;
  status: "open" | "resolved";
  trigger_value: number | null;
  opened_at: string;
  resolved_at: string | null;
}

export type Condition =
  | { type: "consecutive_failures"; count: number }
  | { type: "response_time_above"; ms: number; for_checks: number }
  | { type: "ssl_expires_within"; days: number };

export interface AlertRule {
  id: string;
  name: string;
  monitor_id: string | null;
  condition: Condition;
  enabled: boolean;
  created_at: string;
}

/** An API error body. */
export interface ApiError {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}
