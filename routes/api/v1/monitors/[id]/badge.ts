import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { disableBadge, enableBadge } from "../../../../../core/status_pages/badge.ts";
import { notFound } from "../../../../../web/http_error.ts";
import { idParam, ownOrigin } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST` (a new badge token) and `DELETE` (badges off) `/api/v1/monitors/:id/badge`. */
export const handler: Handlers = {
  async POST(c) {
    const { deps } = c.var;
    const token = await enableBadge(deps.db, c.var.principal.tenantId, idParam(c, "Monitor"));
    if (!token) throw notFound("Monitor");
    const origin = deps.config.publicUrl ?? ownOrigin(c, deps.config.trustProxy);
    const base = `${origin}/badge/${token}`;
    return c.json({
      badge_token: token,
      urls: {
        status: `${base}/status.svg`,
        uptime: `${base}/uptime.svg?window=24h`,
        response: `${base}/response.svg?window=24h`,
      },
    }, 201);
  },
  async DELETE(c) {
    if (!await disableBadge(c.var.deps.db, c.var.principal.tenantId, idParam(c, "Monitor"))) {
      throw notFound("Monitor");
    }
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Turn badges on with a new token" },
  DELETE: { summary: "Turn badges off" },
};
