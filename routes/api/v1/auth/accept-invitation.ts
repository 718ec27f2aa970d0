import { acceptInvitationSchema } from "../../../../core/auth/invitations.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";
import {
  checkAcceptInvitation,
  refuseCrossSite,
  registerLimit,
  startSession,
} from "../../../../web/session.ts";

export const config: RouteConfig = { auth: "none" };

/**
 * `POST /api/v1/auth/accept-invitation`: joins the inviting tenant and signs
 * in to it. An invited email without an account gets one with `password`;
 * one with an account proves it with its own password (counted like a
 * sign-in). The token is single use.
 */
export const handler: Handlers = {
  POST: [registerLimit, async (c) => {
    refuseCrossSite(c);
    const input = await readJson(c, acceptInvitationSchema, "Cannot accept the invitation");
    return c.json(await startSession(c, await checkAcceptInvitation(c, input)), 200);
  }],
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: {
    summary: "Accept an invitation; answers a session for the inviting tenant",
    body: acceptInvitationSchema,
  },
};
