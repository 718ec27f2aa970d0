import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { deleteReport } from "../../../../core/status_pages/status_report.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";

/** `DELETE /api/v1/status-reports/:id`. */
export const handler: Handlers = {
  async DELETE(c) {
    const { deps } = c.var;
    if (!await deleteReport(deps.db, c.var.principal.tenantId, idParam(c, "Status report"))) {
      throw notFound("Status report");
    }
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  DELETE: { summary: "Delete a status report" },
};
