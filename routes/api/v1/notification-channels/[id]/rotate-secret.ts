import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { rotateSecret } from "../../../../../core/notifications/channels.ts";
import { HttpError, notFound } from "../../../../../web/http_error.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST /api/v1/notification-channels/:id/rotate-secret`: a new webhook signing secret. */
export const handler: Handlers = {
  async POST(c) {
    const id = idParam(c, "Notification channel");
    const result = await rotateSecret(c.var.deps.db, c.var.principal.tenantId, id);
    if (result === "missing") throw notFound("Notification channel");
    if (result === "not_webhook") {
      throw new HttpError(409, "conflict", "Only webhook channels have a signing secret");
    }
    return c.json({ secret: result }, 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "A new webhook signing secret" },
};
