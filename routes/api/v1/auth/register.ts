import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { registerSchema } from "../../../../core/auth/schema.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import {
  checkRegister,
  refuseCrossSite,
  registerLimit,
  startSession,
} from "../../../../web/session.ts";

export const config: RouteConfig = { auth: "none" };

/** `POST /api/v1/auth/register`: a new tenant and its owner, signed in. */
export const handler: Handlers = {
  POST: [registerLimit, async (c) => {
    refuseCrossSite(c);
    const input = await readJson(c, registerSchema, "Cannot register");
    return c.json(await startSession(c, await checkRegister(c, input)), 201);
  }],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Register a tenant and its owner; answers a session", body: registerSchema },
};
