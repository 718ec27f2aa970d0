import type { OpenApiOperation } from "../../../../../web/route_types.ts";
import type { RouteConfig } from "../../../../../web/app_env.ts";
import { notFound } from "../../../../../web/http_error.ts";
import type { Handlers } from "../../../../../web/route_types.ts";
import { publicStatusJson } from "../../../../../web/status_page_view.tsx";

export const config: RouteConfig = { auth: "none" };

/** `GET /api/v1/public/status/:slug`: the public projection, computed once per change. */
export const handler: Handlers = {
  async GET(c) {
    const entry = await c.var.deps.publicStatus.get(c.req.param("slug") ?? "");
    if (!entry) throw notFound("Status page");
    return publicStatusJson(c, entry);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "A published status page, as the public sees it" },
};
