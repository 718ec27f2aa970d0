import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import {
  addReportUpdate,
  reportUpdateSchema,
} from "../../../../../core/status_pages/status_report.ts";
import { readJson } from "../../../../../web/body.ts";
import { notFound } from "../../../../../web/http_error.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `POST /api/v1/status-reports/:id/updates`: investigating → identified → monitoring → resolved. */
export const handler: Handlers = {
  async POST(c) {
    const { deps } = c.var;
    const id = idParam(c, "Status report");
    const input = await readJson(c, reportUpdateSchema, "Cannot update status report");
    const report = await addReportUpdate(deps.db, c.var.principal.tenantId, id, input);
    if (!report) throw notFound("Status report");
    deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
    return c.json(report, 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Post an update to a status report", body: reportUpdateSchema },
};
