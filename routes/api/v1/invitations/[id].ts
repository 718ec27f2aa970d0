import { deleteInvitation } from "../../../../core/auth/invitations.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

/** `DELETE /api/v1/invitations/:id`: withdraws an invitation; its token stops working. */
export const handler: Handlers = {
  async DELETE(c) {
    const id = idParam(c, "Invitation");
    if (!await deleteInvitation(c.var.deps.db, c.var.principal.tenantId, id)) {
      throw notFound("Invitation");
    }
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  DELETE: { summary: "Withdraw an invitation" },
};
