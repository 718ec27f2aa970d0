import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { z } from "zod";
import { readStats, STATS_WINDOWS } from "../../../../../core/checks/rollups.ts";
import { readQuery } from "../../../../../web/body.ts";
import type { Handlers } from "../../../../../web/route_types.ts";
import { requireMonitor } from "../../../../../web/tenant_resources.ts";

const statsQuery = z.strictObject({
  window: z.enum(Object.keys(STATS_WINDOWS) as [keyof typeof STATS_WINDOWS], {
    message: "must be 24h, 7d or 30d",
  }).default("24h"),
});

/** `GET /api/v1/monitors/:id/stats?window=24h|7d|30d`. */
export const handler: Handlers = {
  async GET(c) {
    const monitor = await requireMonitor(c);
    const q = readQuery(c, statsQuery, "Cannot read stats");
    return c.json(await readStats(c.var.deps.db, monitor.id, q.window));
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "Uptime and response times over a window", query: statsQuery },
};
