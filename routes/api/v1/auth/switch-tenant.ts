import { z } from "zod";
import { findAccount } from "../../../../core/auth/accounts.ts";
import type { RouteConfig } from "../../../../web/app_env.ts";
import { readJson } from "../../../../web/body.ts";
import { notFound } from "../../../../web/http_error.ts";
import type { Handlers, OpenApiOperation } from "../../../../web/route_types.ts";
import { startSession } from "../../../../web/session.ts";

export const config: RouteConfig = { noApiKeys: true, role: "viewer" };

const switchSchema = z.strictObject({
  tenant_id: z.number({ message: "must be a number" }).int("must be a whole number").min(
    1,
    "must be at least 1",
  ).max(2 ** 31 - 1, "must be at most 2147483647"),
});

/** `POST /api/v1/auth/switch-tenant`: a new session for another tenant the user belongs to. */
export const handler: Handlers = {
  async POST(c) {
    const { tenant_id } = await readJson(c, switchSchema, "Cannot switch tenant");
    const account = await findAccount(c.var.deps.db, c.var.principal.userId, tenant_id);
    if (!account) throw notFound("Tenant");
    return c.json(await startSession(c, account), 200);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  POST: { summary: "Switch to another tenant of the user", body: switchSchema },
};
