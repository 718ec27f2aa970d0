import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { queueCheck } from "../../../../../core/monitors/queries.ts";
import { HttpError, notFound } from "../../../../../web/http_error.ts";
import { rateLimit } from "../../../../../web/middleware/rate_limit.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST /api/v1/monitors/:id/check`: check now (rate limited per tenant). */
export const handler: Handlers = {
  POST: [
    rateLimit({
      limiter: "manualChecksByTenant",
      key: "tenant",
      message: "Too many manual checks for this tenant",
    }),
    async (c) => {
      const { deps } = c.var;
      const result = await queueCheck(deps.db, c.var.principal.tenantId, idParam(c, "Monitor"));
      if (result === "missing") throw notFound("Monitor");
      if (result === "disabled") {
        throw new HttpError(
          409,
          "conflict",
          "Cannot check monitor: it is disabled; enable it first",
        );
      }
      deps.wakeScheduler();
      return c.json({ queued: true }, 202);
    },
  ],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Check a monitor now" },
};
