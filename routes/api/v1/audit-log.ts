import { z } from "zod";
import { listAudit } from "../../../core/audit/audit_log.ts";
import type { RouteConfig } from "../../../web/app_env.ts";
import { beforeParam, limitParam, readQuery } from "../../../web/body.ts";
import type { Handlers, OpenApiOperation } from "../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

const auditQuery = z.strictObject({
  limit: limitParam.optional(),
  before: beforeParam.optional(),
});

/** `GET /api/v1/audit-log`: every write through the API, newest first. */
export const handler: Handlers = {
  async GET(c) {
    const q = readQuery(c, auditQuery, "Cannot list the audit log");
    return c.json({
      entries: await listAudit(c.var.deps.db, c.var.principal.tenantId, {
        limit: q.limit ?? 100,
        before: q.before,
      }),
    });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "The audit log: every write through the API, newest first", query: auditQuery },
};
