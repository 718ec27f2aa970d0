import { deleteMonitor, updateMonitor } from "../../../../core/monitors/queries.ts";
import { monitorPatchSchema } from "../../../../core/monitors/schema.ts";
import { readJson } from "../../../../web/body.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { assertPublicTarget } from "../../../../web/target_policy.ts";
import { requireMonitor } from "../../../../web/tenant_resources.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/monitors/:id`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json(await requireMonitor(c));
  },
  async PATCH(c) {
    const what = "Cannot update monitor";
    const { deps } = c.var;
    const existing = await requireMonitor(c);
    const patch = await readJson(c, monitorPatchSchema, what);
    if (patch.url !== undefined) await assertPublicTarget(deps.config, patch.url, what);
    const monitor = await updateMonitor(deps.db, c.var.principal.tenantId, existing.id, patch);
    if (!monitor) throw notFound("Monitor");
    deps.wakeScheduler();
    return c.json(monitor);
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
