import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { loginSchema } from "../../../../core/auth/schema.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { checkLogin, refuseCrossSite, startSession } from "../../../../web/session.ts";

export const config: RouteConfig = { auth: "none" };

/** `POST /api/v1/auth/login`: a token and the session cookie. */
export const handler: Handlers = {
  async POST(c) {
    refuseCrossSite(c);
    const input = await readJson(c, loginSchema, "Cannot sign in");
    return c.json(await startSession(c, await checkLogin(c, input)), 200);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Sign in; answers a token and sets the session cookie", body: loginSchema },
};
