import type { RouteConfig } from "../web/app_env.ts";
import type { Handlers } from "../web/route_types.ts";

export const config: RouteConfig = { auth: "none" };

/** `GET /healthz`: the process runs. */
export const handler: Handlers = {
  GET: (c) => c.json({ status: "ok" }),
};
