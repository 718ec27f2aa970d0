import { z } from "zod";
import { CHANNEL_TYPES, type ChannelType } from "./channel.ts";

const httpUrl = z.string().max(2048, "must be at most 2048 characters").superRefine(
  (value, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute http or https URL" });
      return;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      ctx.addIssue({
        code: "custom",
        message: `must use http or https, got ${parsed.protocol.replace(":", "")}`,
      });
    }
  },
);

const secret = (what: string) => z.string().min(1, `must not be empty (${what})`).max(500);

/** The `config` of each channel type (API.md, "Notification channels"). */
export const CONFIG_SCHEMAS: Record<ChannelType, z.ZodType<Record<string, unknown>>> = {
  webhook: z.strictObject({ url: httpUrl }),
  slack: z.strictObject({ webhook_url: httpUrl }),
  discord: z.strictObject({ webhook_url: httpUrl }),
  telegram: z.strictObject({
    bot_token: secret("the bot token from @BotFather"),
    chat_id: z.union([z.string().min(1).max(100), z.number().int()]),
    api_url: httpUrl.optional(),
  }),
  ntfy: z.strictObject({
    server_url: httpUrl.optional(),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1 to 64 letters, digits, - or _"),
    token: secret("an access token").optional(),
    priority: z.number().int().min(1).max(5).optional(),
  }),
  email: z.strictObject({
    to: z.array(z.email("must be an email address")).min(1, "must name at least one address")
      .max(20, "must name at most 20 addresses"),
  }),
  pagerduty: z.strictObject({
    routing_key: secret("the integration key of an Events API v2 integration"),
    events_url: httpUrl.optional(),
  }),
};

/** The config fields that hold URLs, checked like a monitor's target. */
export const URL_FIELDS = ["url", "webhook_url", "api_url", "server_url", "events_url"] as const;

const name = z.string().trim().min(1, "must not be empty").max(
  100,
  "must be at most 100 characters",
);
const type = z.enum(CHANNEL_TYPES, {
  message: `must be one of ${CHANNEL_TYPES.join(", ")}`,
});

/** The body of `POST /api/v1/notification-channels` (its config is checked by type afterwards). */
export const channelCreateSchema = z.strictObject({
  name,
  type,
  config: z.record(z.string(), z.unknown()),
  is_default: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

/** The body of `PATCH /api/v1/notification-channels/:id`. */
export const channelPatchSchema = z.strictObject({
  name,
  type,
  config: z.record(z.string(), z.unknown()),
  is_default: z.boolean(),
  enabled: z.boolean(),
}).partial();

export type ChannelInput = z.infer<typeof channelCreateSchema>;
export type ChannelPatch = z.infer<typeof channelPatchSchema>;
