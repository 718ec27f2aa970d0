import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import { getStatusPage } from "../../../../../core/status_pages/queries.ts";
import {
  createReport,
  ForeignComponentError,
  listReports,
  reportCreateSchema,
} from "../../../../../core/status_pages/status_report.ts";
import { readJson, validationError } from "../../../../../web/body.ts";
import { notFound } from "../../../../../web/http_error.ts";
import { idParam } from "../../../../../web/request_info.ts";
import type { Handlers } from "../../../../../web/route_types.ts";

/** `GET` and `POST /api/v1/status-pages/:id/reports`: what the page tells its users. */
export const handler: Handlers = {
  async GET(c) {
    const { db } = c.var.deps;
    const page = await getStatusPage(db, c.var.principal.tenantId, idParam(c, "Status page"));
    if (!page) throw notFound("Status page");
    return c.json({ reports: await listReports(db, page.id) });
  },
  async POST(c) {
    const what = "Cannot create status report";
    const { deps } = c.var;
    const page = await getStatusPage(deps.db, c.var.principal.tenantId, idParam(c, "Status page"));
    if (!page) throw notFound("Status page");
    const input = await readJson(c, reportCreateSchema, what);
    try {
      const report = await createReport(deps.db, c.var.principal.tenantId, page.id, input);
      deps.publicStatus.invalidateTenant(c.var.principal.tenantId);
      return c.json(report, 201);
    } catch (e) {
      if (e instanceof ForeignComponentError) {
        throw validationError(
          what,
          e.indexes.map((i) => ({
            path: `component_ids.${i}`,
            message: "is not a component of this page",
          })),
        );
      }
      throw e;
    }
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A page's status reports" },
  POST: { summary: "Publish a status report", body: reportCreateSchema },
};
