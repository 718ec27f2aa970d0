import { deleteApiKey } from "../../../../core/auth/api_keys.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

/** `DELETE /api/v1/api-keys/:id`: the key stops working at once, on every instance. */
export const handler: Handlers = {
  async DELETE(c) {
    if (!await deleteApiKey(c.var.deps.db, c.var.principal.tenantId, idParam(c, "API key"))) {
      throw notFound("API key");
    }
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  DELETE: { summary: "Revoke an API key" },
};
