import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { createRule, listRules } from "../../../../core/alerts/rules.ts";
import { ruleCreateSchema } from "../../../../core/alerts/schema.ts";
import { readJson } from "../../../../web/body.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import { assertOwnChannels, assertOwnMonitor } from "../../../../web/tenant_resources.ts";

/** `GET /api/v1/alert-rules` and `POST /api/v1/alert-rules`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json({ alert_rules: await listRules(c.var.deps.db, c.var.principal.tenantId) });
  },
  async POST(c) {
    const what = "Cannot create alert rule";
    const input = await readJson(c, ruleCreateSchema, what);
    await assertOwnMonitor(c, input.monitor_id, what);
    await assertOwnChannels(c, input.channel_ids, what);
    return c.json(await createRule(c.var.deps.db, c.var.principal.tenantId, input), 201);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "List alert rules" },
  POST: { summary: "Create an alert rule", body: ruleCreateSchema },
};
