import { z } from "zod";
import { listAudit } from "../../../core/audit/audit_log.ts";
import type { RouteConfig } from "../../../web/app_env.ts";
import { readQuery } from "../../../web/body.ts";
import type { Handlers, OpenApiOperation } from "../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

const auditQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,7}$/, "must be a whole number").transform(Number).pipe(
    z.number().int().min(1, "must be at least 1").max(1000, "must be at most 1000"),
  ).optional(),
  before: z.iso.datetime({ offset: true, message: "must be an RFC 3339 timestamp" }).optional(),
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
