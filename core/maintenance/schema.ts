import { z } from "zod";
import { UUID_PATTERN } from "../db/rows.ts";

const time = z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" });

const recurrence = z.strictObject({
  freq: z.enum(["daily", "weekly"], { message: "must be daily or weekly" }),
  weekdays: z.array(z.number().int().min(0).max(6)).max(7).optional(),
  until: time.optional(),
}).nullable();

const fields = {
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  message: z.string().max(2000, "must be at most 2000 characters").nullable(),
  monitor_ids: z.array(z.string().regex(UUID_PATTERN, "must be monitor ids (UUIDs)")).max(1000),
  starts_at: time,
  ends_at: time,
  recurrence,
  mute_notifications: z.boolean(),
  exclude_from_uptime: z.boolean(),
};

const ordered = (v: { starts_at?: string; ends_at?: string }, ctx: z.RefinementCtx) => {
  if (v.starts_at && v.ends_at && Date.parse(v.ends_at) <= Date.parse(v.starts_at)) {
    ctx.addIssue({ code: "custom", path: ["ends_at"], message: "must be after starts_at" });
  }
};

/** The body of `POST /api/v1/maintenance-windows`. */
export const maintenanceCreateSchema = z.strictObject({
  title: fields.title,
  message: fields.message.default(null),
  monitor_ids: fields.monitor_ids.default([]),
  starts_at: fields.starts_at,
  ends_at: fields.ends_at,
  recurrence: fields.recurrence.default(null),
  mute_notifications: fields.mute_notifications.default(true),
  exclude_from_uptime: fields.exclude_from_uptime.default(true),
}).superRefine(ordered);

/** The body of `PATCH /api/v1/maintenance-windows/:id`. */
export const maintenancePatchSchema = z.strictObject(fields).partial().superRefine(ordered);

export type MaintenanceInput = z.infer<typeof maintenanceCreateSchema>;
export type MaintenancePatch = z.infer<typeof maintenancePatchSchema>;
