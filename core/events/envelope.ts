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

/**
 * `status_report` data: a status report as it now stands, for the public
 * streams of its page (the tenant's own stream does not carry it).
 */
export interface StatusReportData {
  page_id: string;
  report: {
    id: string;
    title: string;
    status: string;
    component_ids: string[];
    updates: { status: string; message: string; at: string }[];
    created_at: string;
    resolved_at: string | null;
  };
}

/** What happened, as a discriminated union on `type`. */
export type EventBody =
  | { type: "monitor_check"; data: MonitorCheckData }
  | { type: "incident_created"; data: IncidentCreatedData }
  | { type: "incident_resolved"; data: IncidentResolvedData }
  | { type: "status_report"; data: StatusReportData };

/** The event types a stream carries. */
export type EventType = EventBody["type"];

/** An event as stored in the log: the body, its tenant and its per-tenant id. */
export type StoredEvent = EventBody & { id: number; tenant_id: number };

const isoString = z.string();
const monitorCheckDataSchema = z.object({
  monitor_id: z.string(),
  monitor_name: z.string(),
  success: z.boolean(),
  status_code: z.number().int().nullable(),
  response_time_ms: z.number().nullable(),
  error_message: z.string().nullable(),
  ssl_valid: z.boolean().nullable(),
  ssl_expires_at: isoString.nullable(),
  checked_at: isoString,
});
const incidentCreatedDataSchema = z.object({
  incident_id: z.string(),
  monitor_id: z.string(),
  alert_rule_id: z.string(),
  rule_name: z.string(),
  trigger_value: z.number().nullable(),
  status: z.literal("open"),
  opened_at: isoString,
});
const incidentResolvedDataSchema = z.object({
  incident_id: z.string(),
  monitor_id: z.string(),
  alert_rule_id: z.string().nullable(),
  rule_name: z.string(),
  status: z.literal("resolved"),
  resolved_at: isoString,
});
const statusReportDataSchema = z.object({
  page_id: z.string(),
  report: z.object({
    id: z.string(),
    title: z.string(),
    status: z.string(),
    component_ids: z.array(z.string()),
    updates: z.array(z.object({ status: z.string(), message: z.string(), at: isoString })),
    created_at: isoString,
    resolved_at: isoString.nullable(),
  }),
});
const ids = { id: z.number().int(), tenant_id: z.number().int() };

/** A stored event as it travels between instances (validated where it arrives). */
export const storedEventSchema: z.ZodType<StoredEvent> = z.discriminatedUnion("type", [
  z.object({ ...ids, type: z.literal("monitor_check"), data: monitorCheckDataSchema }),
  z.object({ ...ids, type: z.literal("incident_created"), data: incidentCreatedDataSchema }),
  z.object({ ...ids, type: z.literal("incident_resolved"), data: incidentResolvedDataSchema }),
  z.object({ ...ids, type: z.literal("status_report"), data: statusReportDataSchema }),
]);

/** The notification payload: a whole event, or only its ids when it was too large. */
export const notificationSchema = z.union([
  z.object({ ...ids, truncated: z.literal(true) }),
  storedEventSchema,
]);
