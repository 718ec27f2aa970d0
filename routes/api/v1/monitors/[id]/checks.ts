import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { z } from "zod";
import { listChecks } from "../../../../../core/checks/queries.ts";
import { beforeParam, limitParam, readQuery } from "../../../../../web/body.ts";
import type { Handlers } from "../../../../../web/route_types.ts";
import { requireMonitor } from "../../../../../web/tenant_resources.ts";

const checksQuery = z.strictObject({
  limit: limitParam.optional(),
  before: beforeParam.optional(),
});

/** `GET /api/v1/monitors/:id/checks`: newest first. */
export const handler: Handlers = {
  async GET(c) {
    const monitor = await requireMonitor(c);
    const q = readQuery(c, checksQuery, "Cannot list checks");
    return c.json({
      checks: await listChecks(c.var.deps.db, monitor.id, {
        limit: q.limit ?? 100,
        before: q.before,
      }),
    });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A monitor's checks, newest first", query: checksQuery },
};
