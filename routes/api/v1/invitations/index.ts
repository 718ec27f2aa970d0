import {
  AlreadyMemberError,
  createInvitation,
  invitationCreateSchema,
  listInvitations,
} from "../../../../core/auth/invitations.ts";
import { hasRole } from "../../../../core/auth/roles.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import { HttpError } from "../../../../web/http_error.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

/** `GET` and `POST /api/v1/invitations`: open invitations; a new one's token is shown once. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({
      invitations: await listInvitations(c.var.deps.db, c.var.principal.tenantId),
    });
  },
  async POST(c) {
    const input = await readJson(c, invitationCreateSchema, "Cannot invite");
    if (input.role === "owner" && !hasRole(c.var.role, "owner")) {
      throw new HttpError(403, "forbidden", "Only an owner can invite an owner");
    }
    const p = c.var.principal;
    try {
      return c.json(await createInvitation(c.var.deps.db, p.tenantId, p.userId, input), 201);
    } catch (e) {
      if (e instanceof AlreadyMemberError) {
        throw new HttpError(409, "conflict", "This email is already a member of the tenant");
      }
      throw e;
    }
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List open invitations (without their tokens)" },
  POST: {
    summary: "Invite an email with a role; the token is shown once",
    body: invitationCreateSchema,
  },
};
