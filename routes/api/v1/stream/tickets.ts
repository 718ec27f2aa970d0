import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { issueTicket } from "../../../../core/auth/tickets.ts";
import { rateLimit } from "../../../../web/middleware/rate_limit.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import type { Handlers } from "../../../../web/route_types.ts";

/** Any member may open the stream, viewers included. */
export const config: RouteConfig = { role: "viewer" };

/** `POST /api/v1/stream/tickets`: a single-use ticket for `?ticket=` (rate limited per tenant). */
export const handler: Handlers = {
  POST: [
    rateLimit({
      limiter: "ticketsByTenant",
      key: "tenant",
      message: "Too many stream tickets for this tenant",
    }),
    async (c) => {
      const { ticket, expiresAt } = await issueTicket(c.var.deps.db, c.var.principal);
      return c.json({ ticket, expires_at: expiresAt.toISOString() }, 201);
    },
  ],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "A single-use ticket for the event stream" },
};
