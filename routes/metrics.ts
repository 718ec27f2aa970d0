import type { RouteConfig } from "../web/app_env.ts";
import type { Handlers } from "../web/route_types.ts";

export const config: RouteConfig = { auth: "none" };

/** `GET /metrics`: Prometheus text format. */
export const handler: Handlers = {
  GET: (c) =>
    c.body(c.var.deps.metrics.render(), 200, {
      "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
    }),
};
