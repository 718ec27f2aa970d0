import type { OpenApiOperation } from "../../../../web/route_types.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { endSession, refuseCrossSite } from "../../../../web/session.ts";

export const config: RouteConfig = { auth: "none" };

/** `POST /api/v1/auth/logout`: clears the session cookie. */
export const handler: Handlers = {
  POST(c) {
    refuseCrossSite(c);
    endSession(c);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Clear the session cookie" },
};
