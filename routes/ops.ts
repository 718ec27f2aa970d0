import type { Hono } from "hono";
import { HttpError } from "../core/http_error.ts";
import { withTimeout } from "../core/with_timeout.ts";
import type { AppDeps, AppEnv } from "./_env.ts";
import { route } from "./_route.ts";

/** `/healthz`, `/readyz` and `/metrics`. */
export function opsRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  route(app, "/healthz", { GET: (c) => c.json({ status: "ok" }) });
  route(app, "/readyz", {
    GET: async (c) => {
      try {
        await withTimeout(deps.db.query("SELECT 1"), 2000, "database ping");
      } catch {
        throw new HttpError(503, "unavailable", "The database does not answer");
      }
      return c.json({ status: "ok" });
    },
  });
  route(app, "/metrics", {
    GET: (c) =>
      c.body(deps.metrics.render(), 200, {
        "Content-Type": "text/plain; version=0.0.4; charset=utf-8",
      }),
  });
}
