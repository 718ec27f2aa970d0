import { apiKeyCreateSchema, createApiKey, listApiKeys } from "../../../../core/auth/api_keys.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

/** `GET` and `POST /api/v1/api-keys`: the tenant's keys; a new key is shown once. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({ api_keys: await listApiKeys(c.var.deps.db, c.var.principal.tenantId) });
  },
  async POST(c) {
    const input = await readJson(c, apiKeyCreateSchema, "Cannot create API key");
    const p = c.var.principal;
    return c.json(await createApiKey(c.var.deps.db, p.tenantId, p.userId, input), 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List API keys (without the keys)" },
  POST: { summary: "Create an API key, shown once", body: apiKeyCreateSchema },
};
