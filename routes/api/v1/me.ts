import type { OpenApiOperation } from "../../../web/route_types.ts";
import { HttpError } from "../../../web/http_error.ts";
import type { Handlers } from "../../../web/route_types.ts";
import { currentAccount } from "../../../web/session.ts";
import { tenantsOf } from "../../../core/auth/accounts.ts";

/**
 * `GET /api/v1/me`: the signed-in user, the tenant the credential speaks
 * for, the role there, and every tenant of the user. A user belongs to the
 * tenant they registered, as its owner, and to those whose invitations they
 * accepted; an API key acts as an editor (write scope) or a viewer (read scope).
 */
export const handler: Handlers = {
  async GET(c) {
    const account = await currentAccount(c);
    if (!account) {
      throw new HttpError(401, "unauthorized", "The account of this session no longer exists");
    }
    const role = c.var.role;
    // A key speaks for its tenant only; a user lists every tenant they belong to.
    const tenants = c.var.apiKey
      ? [{ id: account.tenant.id, name: account.tenant.name, role }]
      : await tenantsOf(c.var.deps.db, account.user.id);
    return c.json({ user: { ...account.user, role }, tenant: account.tenant, role, tenants });
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "The signed-in user and tenant" },
};
