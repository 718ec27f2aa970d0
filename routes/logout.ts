import type { RouteConfig } from "../web/app_env.ts";
import type { Handlers } from "../web/route_types.ts";
import { endSession, refuseCrossSite } from "../web/session.ts";

export const config: RouteConfig = { auth: "none" };

/** `POST /logout`: the header's sign-out button. */
export const handler: Handlers = {
  POST(c) {
    refuseCrossSite(c);
    endSession(c);
    return c.redirect("/", 303);
  },
};
