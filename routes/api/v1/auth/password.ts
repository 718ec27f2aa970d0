import { passwordChangeSchema } from "../../../../core/auth/schema.ts";
import { hashPassword } from "../../../../core/auth/password.ts";
import { endSessions } from "../../../../core/auth/sessions.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import { HttpError } from "../../../../web/http_error.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";
import { checkLogin, currentAccount, withHashSlot } from "../../../../web/session.ts";

export const config: RouteConfig = { noApiKeys: true, role: "viewer" };

/**
 * `POST /api/v1/auth/password`: a new password, given the current one (which
 * counts against the sign-in limits like a sign-in). Every other token and
 * session of the user ends at once; this one goes on.
 */
export const handler: Handlers = {
  async POST(c) {
    const input = await readJson(c, passwordChangeSchema, "Cannot change the password");
    const account = await currentAccount(c);
    if (!account) {
      throw new HttpError(401, "unauthorized", "The account of this session no longer exists");
    }
    await checkLogin(c, { email: account.user.email, password: input.current_password });
    const passwordHash = await withHashSlot(c.var.deps, () => hashPassword(input.new_password));
    await endSessions(c.var.deps.db, account.user.id, {
      keep: c.var.principal.sessionId ?? null,
      passwordHash,
    });
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: {
    summary: "Change the password; every other session ends",
    body: passwordChangeSchema,
  },
};
