import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { deleteWindow, getWindow, updateWindow } from "../../../../core/maintenance/queries.ts";
import { maintenancePatchSchema } from "../../../../core/maintenance/schema.ts";
import { readJson, validationError } from "../../../../web/body.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { assertOwnMonitors } from "../../../../web/tenant_resources.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/maintenance-windows/:id`. */
export const handler: Handlers = {
  async GET(c) {
    const w = await getWindow(
      c.var.deps.db,
      c.var.principal.tenantId,
      idParam(c, "Maintenance window"),
    );
    if (!w) throw notFound("Maintenance window");
    return c.json(w);
  },
  async PATCH(c) {
    const what = "Cannot update maintenance window";
    const { deps } = c.var;
    const id = idParam(c, "Maintenance window");
    const existing = await getWindow(deps.db, c.var.principal.tenantId, id);
    if (!existing) throw notFound("Maintenance window");
    const patch = await readJson(c, maintenancePatchSchema, what);
    const starts = patch.starts_at ?? existing.starts_at;
    const ends = patch.ends_at ?? existing.ends_at;
    if (Date.parse(ends) <= Date.parse(starts)) {
      throw validationError(what, [{ path: "ends_at", message: "must be after starts_at" }]);
    }
    await assertOwnMonitors(c, patch.monitor_ids, what);
    const w = await updateWindow(deps.db, c.var.principal.tenantId, id, patch);
    if (!w) throw notFound("Maintenance window");
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.json(w);
  },
  async DELETE(c) {
    const { deps } = c.var;
    if (!await deleteWindow(deps.db, c.var.principal.tenantId, idParam(c, "Maintenance window"))) {
      throw notFound("Maintenance window");
    }
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "One maintenance window" },
  PATCH: { summary: "Change a maintenance window", body: maintenancePatchSchema },
  DELETE: { summary: "Delete a maintenance window" },
};
