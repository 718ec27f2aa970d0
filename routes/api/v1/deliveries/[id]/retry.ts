import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { retryDelivery } from "../../../../../core/notifications/outbox.ts";
import { HttpError, notFound } from "../../../../../web/http_error.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST /api/v1/deliveries/:id/retry`: a failed delivery tried again, same id. */
export const handler: Handlers = {
  async POST(c) {
    const { deps } = c.var;
    const result = await retryDelivery(deps.db, c.var.principal.tenantId, idParam(c, "Delivery"));
    if (result === "missing") throw notFound("Delivery");
    if (result === "not_failed") {
      throw new HttpError(409, "conflict", "Only a failed delivery can be retried");
    }
    deps.wakeDispatcher();
    return c.json({ queued: true }, 202);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Retry a failed delivery, same id" },
};
