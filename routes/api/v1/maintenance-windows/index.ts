import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { createWindow, listWindows } from "../../../../core/maintenance/queries.ts";
import { maintenanceCreateSchema } from "../../../../core/maintenance/schema.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { assertOwnMonitors } from "../../../../web/tenant_resources.ts";

/** `GET` and `POST /api/v1/maintenance-windows`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({
      maintenance_windows: await listWindows(c.var.deps.db, c.var.principal.tenantId),
    });
  },
  async POST(c) {
    const what = "Cannot create maintenance window";
    const { deps } = c.var;
    const input = await readJson(c, maintenanceCreateSchema, what);
    await assertOwnMonitors(c, input.monitor_ids, what);
    const window = await createWindow(deps.db, c.var.principal.tenantId, input);
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.json(window, 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List maintenance windows" },
  POST: { summary: "Plan a maintenance window", body: maintenanceCreateSchema },
};
