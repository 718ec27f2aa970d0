import type { OpenApiOperation } from "../../../web/route_types.ts";
import { z } from "zod";
import { listIncidents } from "../../../core/alerts/incidents.ts";
import { UUID_PATTERN } from "../../../core/db/rows.ts";
import { limitParam, readQuery } from "../../../web/body.ts";
import type { Handlers } from "../../../web/route_types.ts";

const incidentsQuery = z.strictObject({
  status: z.enum(["open", "resolved"], { message: "must be open or resolved" }).optional(),
  monitor_id: z.string().regex(UUID_PATTERN, "must be a monitor id (a UUID)").optional(),
  limit: limitParam.optional(),
});

/** `GET /api/v1/incidents?status=&monitor_id=&limit=`: newest first. */
export const handler: Handlers = {
  async GET(c) {
    const q = readQuery(c, incidentsQuery, "Cannot list incidents");
    const incidents = await listIncidents(c.var.deps.db, c.var.principal.tenantId, {
      status: q.status,
      monitorId: q.monitor_id,
      limit: q.limit,
    });
    return c.json({ incidents });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "Incidents, newest first", query: incidentsQuery },
};
