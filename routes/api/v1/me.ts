import type { OpenApiOperation } from "../../../web/route_types.ts";
import { HttpError } from "../../../web/http_error.ts";
import type { Handlers } from "../../../web/route_types.ts";
import { currentAccount } from "../../../web/session.ts";

/**
 * `GET /api/v1/me`: the signed-in user, the tenant the credential speaks
 * for, the role there, and every tenant of the user. A user belongs to the
 * tenant they registered, as its owner; an API key acts as an editor (write
 * scope) or a viewer (read scope).
 */
export const handler: Handlers = {
  async GET(c) {
    const account = await currentAccount(c);
    if (!account) {
      throw new HttpError(401, "unauthorized", "The account of this session no longer exists");
    }
    const key = c.var.apiKey;
    const role = key ? (key.scope === "write" ? "editor" : "viewer") : account.user.role;
    return c.json({
      ...account,
      role,
      tenants: [{ id: account.tenant.id, name: account.tenant.name, role }],
    });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "The signed-in user and tenant" },
};
