import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { z } from "zod";
import { listChecks } from "../../../../../core/checks/queries.ts";
import { readQuery } from "../../../../../web/body.ts";
import type { Handlers } from "../../../../../web/route_types.ts";
import { requireMonitor } from "../../../../../web/tenant_resources.ts";

const checksQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,7}$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"),
  ).optional(),
  before: z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" }).optional(),
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
