import { z } from "zod";
import { UUID_PATTERN } from "../db/rows.ts";

/** The most recent checks a rule may look at: each rule reads its own depth of history. */
export const MAX_RULE_DEPTH = 100;

/** The three rule conditions of API.md. */
export const conditionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("consecutive_failures"),
    count: z.number().int().min(1).max(MAX_RULE_DEPTH),
  }),
  z.strictObject({
    type: z.literal("response_time_above"),
    ms: z.number().int().min(1).max(60000),
    for_checks: z.number().int().min(1).max(MAX_RULE_DEPTH).default(1),
  }),
  z.strictObject({
    type: z.literal("ssl_expires_within"),
    days: z.number().int().min(1).max(365),
  }),
]);

export type Condition = z.infer<typeof conditionSchema>;

const uuid = z.string().regex(UUID_PATTERN, "must be a monitor id (a UUID)");

/** The body of `POST /api/v1/alert-rules`. */
export const ruleCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(
    100,
    "must be at most 100 characters",
  ),
  monitor_id: uuid.nullable().default(null),
  condition: conditionSchema,
  enabled: z.boolean().default(true),
  channel_ids: z.array(z.string().regex(UUID_PATTERN, "must be a channel id (a UUID)"))
    .max(20, "must name at most 20 channels").default([]),
  reminder_minutes: z.number().int().min(5, "must be at least 5").max(1440, "must be at most 1440")
    .nullable().default(null),
});

/** The body of `PATCH /api/v1/alert-rules/:id`. */
export const rulePatchSchema = z.strictObject({
  name: ruleCreateSchema.shape.name,
  monitor_id: uuid.nullable(),
  condition: conditionSchema,
  enabled: z.boolean(),
  channel_ids: ruleCreateSchema.shape.channel_ids.removeDefault(),
  reminder_minutes: ruleCreateSchema.shape.reminder_minutes.removeDefault(),
}).partial();

export type RuleInput = z.infer<typeof ruleCreateSchema>;
export type RulePatch = z.infer<typeof rulePatchSchema>;
