import { z } from "zod";

/** The three rule conditions of API.md. */
export const conditionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("consecutive_failures"),
    count: z.number().int().min(1).max(1000),
  }),
  z.strictObject({
    type: z.literal("response_time_above"),
    ms: z.number().int().min(1).max(600000),
    for_checks: z.number().int().min(1).max(1000).default(1),
  }),
  z.strictObject({
    type: z.literal("ssl_expires_within"),
    days: z.number().int().min(1).max(3650),
  }),
]);

export type Condition = z.infer<typeof conditionSchema>;

const uuid = z.string().regex(
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  "must be a monitor id (a UUID)",
);

/** The body of `POST /api/v1/alert-rules`. */
export const ruleCreateSchema = z.strictObject({
  name: z.string().trim().min(1, "must not be empty").max(
    100,
    "must be at most 100 characters",
  ),
  monitor_id: uuid.nullable().default(null),
  condition: conditionSchema,
  enabled: z.boolean().default(true),
});

/** The body of `PATCH /api/v1/alert-rules/:id`. */
export const rulePatchSchema = z.strictObject({
  name: ruleCreateSchema.shape.name,
  monitor_id: uuid.nullable(),
  condition: conditionSchema,
  enabled: z.boolean(),
}).partial();

export type RuleInput = z.infer<typeof ruleCreateSchema>;
export type RulePatch = z.infer<typeof rulePatchSchema>;
