import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { z } from "zod";
import { listDeliveries } from "../../../../../core/notifications/outbox.ts";
import { limitParam, readQuery } from "../../../../../web/body.ts";
import type { Handlers } from "../../../../../web/route_types.ts";
import { requireChannel } from "../../../../../web/tenant_resources.ts";

const deliveriesQuery = z.strictObject({
  limit: limitParam.optional(),
});

/** `GET /api/v1/notification-channels/:id/deliveries`: newest first. */
export const handler: Handlers = {
  async GET(c) {
    const { channel } = await requireChannel(c);
    const q = readQuery(c, deliveriesQuery, "Cannot list deliveries");
    return c.json({
      deliveries: await listDeliveries(
        c.var.deps.db,
        c.var.principal.tenantId,
        channel.id,
        q.limit ?? 100,
      ),
    });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A channel's deliveries, newest first", query: deliveriesQuery },
};
