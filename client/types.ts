/**
 * API shapes the islands read (API.md). They are the server's own types:
 * type-only imports, erased from the browser bundle.
 */
export type { Check } from "../core/checks/check.ts";
export type { Monitor } from "../core/monitors/monitor.ts";
export type { Incident } from "../core/alerts/incident.ts";
export type { AlertRule } from "../core/alerts/alert_rule.ts";
export type { Condition } from "../core/alerts/schema.ts";
export type { EventType } from "../core/events/envelope.ts";

/** An API error body. */
export interface ApiError {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}
export type { NotificationChannel } from "../core/notifications/channel.ts";
export type { Delivery } from "../core/notifications/delivery.ts";
export type { StatusPage } from "../core/status_pages/status_page.ts";
export type { MaintenanceWindow } from "../core/maintenance/maintenance_window.ts";
export type { StatusReport } from "../core/status_pages/status_report.ts";
export type { ApiKey } from "../core/auth/api_keys.ts";
