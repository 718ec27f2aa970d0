import { endSessions } from "../../../../core/auth/sessions.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";
import { endSession } from "../../../../web/session.ts";

export const config: RouteConfig = { noApiKeys: true, role: "viewer" };

/**
 * `POST /api/v1/auth/logout-everywhere`: every token and session of the
 * user, this one included, stops working at once on every instance.
 */
export const handler: Handlers = {
  async POST(c) {
    await endSessions(c.var.deps.db, c.var.principal.userId, { keep: null });
    endSession(c);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "End every session of the user, on every instance" },
};
