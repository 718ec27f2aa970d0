import type { RouteConfig } from "../../web/app_env.ts";
import type { Handlers } from "../../web/route_types.ts";
import { publicStatusHtml } from "../../web/status_page_view.tsx";

export const config: RouteConfig = { auth: "none" };

/** `GET /status/:slug`: a published status page, for anyone; 404 otherwise. */
export const handler: Handlers = {
  async GET(c) {
    const entry = await c.var.deps.publicStatus.get(c.req.param("slug") ?? "");
    if (!entry) return c.notFound();
    return publicStatusHtml(c, entry, c.req.param("slug") ?? "");
  },
};
