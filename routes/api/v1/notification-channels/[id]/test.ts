import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { enqueueTest } from "../../../../../core/notifications/outbox.ts";
import { notFound } from "../../../../../web/http_error.ts";
import { rateLimit } from "../../../../../web/middleware/rate_limit.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST /api/v1/notification-channels/:id/test`: a `test` notification, sent within seconds. */
export const handler: Handlers = {
  POST: [
    rateLimit({
      limiter: "manualChecksByTenant",
      key: "tenant",
      message: "Too many tests for this tenant",
    }),
    async (c) => {
      const { deps } = c.var;
      const id = await enqueueTest(
        deps.db,
        c.var.principal.tenantId,
        idParam(c, "Notification channel"),
      );
      if (!id) throw notFound("Notification channel");
      deps.wakeDispatcher();
      return c.json({ delivery_id: id }, 202);
    },
  ],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Send a test notification" },
};
