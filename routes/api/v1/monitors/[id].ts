import { z } from "zod";
import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { HEADER_MASK } from "../../../../core/monitors/monitor.ts";
import { deleteMonitor, storedHeaders, updateMonitor } from "../../../../core/monitors/queries.ts";
import { monitorPatchSchemas } from "../../../../core/monitors/schema.ts";
import { readJson, validationError } from "../../../../web/body.ts";
import { windowsOf } from "../../../../core/maintenance/queries.ts";
import { presentMonitor } from "../../../../web/monitor_view.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { assertPublicMonitorTargets } from "../../../../web/target_policy.ts";
import { requireMonitor } from "../../../../web/tenant_resources.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/monitors/:id`. */
export const handler: Handlers = {
  async GET(c) {
    const windows = await windowsOf(c.var.deps.db, [c.var.principal.tenantId]);
    return c.json(presentMonitor(c, await requireMonitor(c), windows));
  },
  async PATCH(c) {
    const what = "Cannot update monitor";
    const { deps } = c.var;
    const existing = await requireMonitor(c);
    const patch = await readJson(c, monitorPatchSchemas[existing.type], what);
    if (patch.type !== undefined && patch.type !== existing.type) {
      throw validationError(what, [{
        path: "type",
        message: `cannot change a ${existing.type} monitor into ${patch.type}; create a new one`,
      }]);
    }
    if ("headers" in patch && patch.headers) {
      // A header sent as "********" keeps its stored value.
      const stored = await storedHeaders(deps.db, c.var.principal.tenantId, existing.id);
      patch.headers = Object.fromEntries(
        Object.entries(patch.headers).map(([k, v]) => [k, v === HEADER_MASK ? stored[k] ?? "" : v]),
      );
    }
    await assertPublicMonitorTargets(deps.config, patch, what);
    const monitor = await updateMonitor(deps.db, c.var.principal.tenantId, existing.id, patch);
    if (!monitor) throw notFound("Monitor");
    deps.wakeScheduler();
    return c.json(presentMonitor(c, monitor));
  },
  async DELETE(c) {
    const deleted = await deleteMonitor(
      c.var.deps.db,
      c.var.principal.tenantId,
      idParam(c, "Monitor"),
    );
    if (!deleted) throw notFound("Monitor");
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "One monitor" },
  PATCH: {
    summary: "Change any fields of a monitor (of its own kind)",
    body: z.union(Object.values(monitorPatchSchemas)),
  },
  DELETE: { summary: "Delete a monitor with its checks, rules and incidents" },
};
