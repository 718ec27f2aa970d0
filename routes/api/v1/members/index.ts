import { listMembers } from "../../../../core/auth/members.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true };

/** `GET /api/v1/members`: the tenant's members and their roles; any member may read it. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({ members: await listMembers(c.var.deps.db, c.var.principal.tenantId) });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List the tenant's members" },
};
