import {
  changeMemberRole,
  memberPatchSchema,
  type MemberRefusal,
  removeMember,
} from "../../../../core/auth/members.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import { HttpError, notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";

export const config: RouteConfig = { noApiKeys: true, role: "admin" };

function refused(why: MemberRefusal): HttpError {
  switch (why) {
    case "not_found":
      return notFound("Member");
    case "admin_cannot_touch_owner":
      return new HttpError(403, "forbidden", "Only an owner can change, make or remove an owner");
    case "last_owner":
      return new HttpError(409, "conflict", "The tenant's last owner cannot be demoted or removed");
  }
}

/**
 * `PATCH` and `DELETE /api/v1/members/:user_id`: a member's role, or the
 * member's removal (their tokens for this tenant stop working at once).
 */
export const handler: Handlers = {
  async PATCH(c) {
    const userId = idParam(c, "Member");
    const { role } = await readJson(c, memberPatchSchema, "Cannot change the member");
    const p = c.var.principal;
    const done = await changeMemberRole(c.var.deps.db, p.tenantId, c.var.role, userId, role);
    if (typeof done === "string") throw refused(done);
    return c.json(done);
  },
  async DELETE(c) {
    const userId = idParam(c, "Member");
    const p = c.var.principal;
    const refusal = await removeMember(c.var.deps.db, p.tenantId, c.var.role, userId);
    if (refusal) throw refused(refusal);
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  PATCH: { summary: "Change a member's role", body: memberPatchSchema },
  DELETE: { summary: "Remove a member from the tenant" },
};
