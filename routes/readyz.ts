import { withTimeout } from "../core/with_timeout.ts";
import type { RouteConfig } from "../web/app_env.ts";
import { HttpError } from "../web/http_error.ts";
import type { Handlers } from "../web/route_types.ts";

export const config: RouteConfig = { auth: "none" };

/** `GET /readyz`: the database answers and the check runner works (API.md). */
export const handler: Handlers = {
  async GET(c) {
    const { deps } = c.var;
    try {
      await withTimeout(deps.db.query("SELECT 1"), 2000, "database ping");
    } catch {
      throw new HttpError(503, "unavailable", "The database does not answer");
    }
    if (!deps.checksReady()) {
      throw new HttpError(503, "unavailable", "The check worker is not running");
    }
    return c.json({ status: "ok" });
  },
};
