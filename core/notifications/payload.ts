import type { Incident } from "../alerts/incident.ts";
import type { Condition } from "../alerts/schema.ts";

/** The webhook `type` of each happening (API.md). */
export type NotificationEvent =
  | "incident.opened"
  | "incident.resolved"
  | "incident.reminder"
  | "test";

/**
 * What a notification says, stored with its delivery as it was when the
 * happening was written, so a retry hours later says the same thing.
 */
export interface NotificationPayload {
  event: NotificationEvent;
  incident: Incident | null;
  monitor: { id: string; name: string; url: string } | null;
  rule: { id: string | null; name: string; condition: Condition | null } | null;
  tenant: { id: number; name: string };
  /** The error of the check that opened the incident. */
  error: string | null;
  /** A `grouped` delivery: the notifications it carries. */
  items?: NotificationPayload[];
}
