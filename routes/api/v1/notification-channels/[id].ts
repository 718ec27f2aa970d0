import type { OpenApiOperation } from "../../../../web/route_types.ts";
import {
  deleteChannel,
  mergeSecrets,
  updateChannel,
} from "../../../../core/notifications/channels.ts";
import { channelPatchSchema } from "../../../../core/notifications/schema.ts";
import { readJson, validationError } from "../../../../web/body.ts";
import { checkChannelConfig } from "../../../../web/channel_input.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { requireChannel } from "../../../../web/tenant_resources.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/notification-channels/:id`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json((await requireChannel(c)).channel);
  },
  async PATCH(c) {
    const what = "Cannot update notification channel";
    const { deps } = c.var;
    const existing = await requireChannel(c);
    const patch = await readJson(c, channelPatchSchema, what);
    const type = patch.type ?? existing.channel.type;
    if (patch.type !== undefined && patch.type !== existing.channel.type && !patch.config) {
      throw validationError(what, [{ path: "config", message: "must be given when type changes" }]);
    }
    let config: Record<string, unknown> | undefined;
    if (patch.config) {
      const merged = type === existing.channel.type
        ? mergeSecrets(type, existing.config, patch.config)
        : patch.config;
      config = await checkChannelConfig(deps.config, type, merged, what);
    }
    const channel = await updateChannel(deps.db, c.var.principal.tenantId, existing.channel.id, {
      ...patch,
      config,
    });
    if (!channel) throw notFound("Notification channel");
    return c.json(channel);
  },
  async DELETE(c) {
    const id = idParam(c, "Notification channel");
    if (!await deleteChannel(c.var.deps.db, c.var.principal.tenantId, id)) {
      throw notFound("Notification channel");
    }
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "One notification channel (secrets masked)" },
  PATCH: { summary: "Change a channel; a masked secret keeps its value", body: channelPatchSchema },
  DELETE: { summary: "Delete a channel and its deliveries" },
};
