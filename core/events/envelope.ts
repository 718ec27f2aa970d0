import { z } from "zod";

/** `monitor_check` data: one finished check. */
export interface MonitorCheckData {
  monitor_id: string;
  monitor_name: string;
  success: boolean;
  status_code: number | null;
  response_time_ms: number | null;
  error_message: string | null;
  ssl_valid: boolean | null;
  ssl_expires_at: string | null;
  checked_at: string;
}

/** `incident_created` data. */
export interface IncidentCreatedData {
  incident_id: string;
  monitor_id: string;
  alert_rule_id: string;
  rule_name: string;
  trigger_value: number | null;
  status: "open";
  opened_at: string;
}

/** `incident_resolved` data. */
export interface IncidentResolvedData {
  incident_id: string;
  monitor_id: string;
  alert_rule_id: string | null;
  rule_name: string;
  status: "resolved";
  resolved_at: string;
}

/** What happened, as a discriminated union on `type`. */
export type EventBody =
  | { type: "monitor_check"; data: MonitorCheckData }
  | { type: "incident_created"; data: IncidentCreatedData }
  | { type: "incident_resolved"; data: IncidentResolvedData };

/** The event types a stream carries. */
export type EventType = EventBody["type"];

/** An event as stored in the log: the body, its tenant and its per-tenant id. */
export type StoredEvent = EventBody & { id: number; tenant_id: number };

/** The notification payload: a whole event, or only its ids when it was too large. */
export const notificationSchema = z.union([
  z.object({
    id: z.number().int(),
    tenant_id: z.number().int(),
    type: z.enum(["monitor_check", "incident_created", "incident_resolved"]),
    data: z.record(z.string(), z.unknown()),
  }),
  z.object({
    id: z.number().int(),
    tenant_id: z.number().int(),
    truncated: z.literal(true),
  }),
]);
