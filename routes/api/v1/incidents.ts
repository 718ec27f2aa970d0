import type { Hono } from "hono";
import { z } from "zod";
import { listIncidents } from "../../../core/alerts/incidents.ts";
import type { AppDeps, AppEnv } from "../../_env.ts";
import { readQuery } from "../../_http.ts";
import { authenticate } from "../../_middleware/authenticate.ts";
import { route } from "../../_route.ts";

const incidentsQuery = z.strictObject({
  status: z.enum(["open", "resolved"], { message: "must be open or resolved" })
    .optional(),
  monitor_id: z.string().regex(
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    "must be a monitor id (a UUID)",
  ).optional(),
  limit: z.string().regex(/^\d{1,7}$/, "must be a whole number").transform(
    Number,
  ).pipe(
    z.number().int().min(1, "must be at least 1").max(
      1000,
      "must be at most 1000",
    ),
  ).optional(),
});

/** `GET /api/v1/incidents`. */
export function incidentRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  route(app, "/api/v1/incidents", {
    GET: [authenticate(deps), async (c) => {
      const q = readQuery(c, incidentsQuery, "Cannot list incidents");
      const incidents = await listIncidents(
        deps.db,
        c.get("principal").tenantId,
        {
          status: q.status,
          monitorId: q.monitor_id,
          limit: q.limit,
        },
      );
      return c.json({ incidents });
    }],
  });
}
