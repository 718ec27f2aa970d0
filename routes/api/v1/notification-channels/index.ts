import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { createChannel, listChannels } from "../../../../core/notifications/channels.ts";
import { channelCreateSchema } from "../../../../core/notifications/schema.ts";
import { readJson } from "../../../../web/body.ts";
import { checkChannelConfig } from "../../../../web/channel_input.ts";
import type { Handlers } from "../../../../web/route_types.ts";

/** `GET` and `POST /api/v1/notification-channels`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({
      notification_channels: await listChannels(c.var.deps.db, c.var.principal.tenantId),
    });
  },
  async POST(c) {
    const what = "Cannot create notification channel";
    const { deps } = c.var;
    const input = await readJson(c, channelCreateSchema, what);
    const config = await checkChannelConfig(deps.config, input.type, input.config, what);
    const { channel, secret } = await createChannel(deps.db, c.var.principal.tenantId, {
      ...input,
      config,
    });
    // The webhook signing secret is answered this once (API.md).
    return c.json(secret ? { ...channel, secret } : channel, 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List notification channels" },
  POST: { summary: "Create a notification channel", body: channelCreateSchema },
};
