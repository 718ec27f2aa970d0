import type { OpenApiOperation } from "../../../../web/route_types.ts";
import {
  createMonitor,
  listMonitors,
  MonitorQuotaError,
} from "../../../../core/monitors/queries.ts";
import { monitorCreateSchema } from "../../../../core/monitors/schema.ts";
import { readJson } from "../../../../web/body.ts";
import { HttpError } from "../../../../web/http_error.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { windowsOf } from "../../../../core/maintenance/queries.ts";
import { presentMonitor } from "../../../../web/monitor_view.ts";
import { assertPublicMonitorTargets } from "../../../../web/target_policy.ts";

/** `GET /api/v1/monitors` and `POST /api/v1/monitors`. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const [monitors, windows] = await Promise.all([
      listMonitors(db, c.var.principal.tenantId),
      windowsOf(db, [c.var.principal.tenantId]),
    ]);
    return c.json({ monitors: monitors.map((m) => presentMonitor(c, m, windows)) });
  },
  async POST(c) {
    const what = "Cannot create monitor";
    const { deps } = c.var;
    const input = await readJson(c, monitorCreateSchema, what);
    await assertPublicMonitorTargets(deps.config, input, what);
    try {
      const monitor = await createMonitor(deps.db, c.var.principal.tenantId, input, {
        maxPerTenant: deps.config.maxMonitorsPerTenant,
      });
      deps.wakeScheduler();
      return c.json(presentMonitor(c, monitor), 201);
    } catch (e) {
      if (e instanceof MonitorQuotaError) {
        throw new HttpError(409, "conflict", `${what}: ${e.message}`);
      }
      throw e;
    }
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List the tenant's monitors" },
  POST: {
    summary: "Create a monitor of any kind (http, tcp, dns, push)",
    body: monitorCreateSchema,
  },
};
