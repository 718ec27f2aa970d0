import type { OpenApiOperation } from "../../../../web/route_types.ts";
import { deleteRule, updateRule } from "../../../../core/alerts/rules.ts";
import { rulePatchSchema } from "../../../../core/alerts/schema.ts";
import { readJson } from "../../../../web/body.ts";
import { notFound } from "../../../../web/http_error.ts";
import { idParam } from "../../../../web/request_info.ts";
import type { Handlers } from "../../../../web/route_types.ts";
import {
  assertOwnChannels,
  assertOwnMonitor,
  requireRule,
} from "../../../../web/tenant_resources.ts";

/** `GET`, `PATCH` and `DELETE /api/v1/alert-rules/:id`. */
export const handler: Handlers = {
  async GET(c) {
    return c.json(await requireRule(c));
  },
  async PATCH(c) {
    const what = "Cannot update alert rule";
    const existing = await requireRule(c);
    const patch = await readJson(c, rulePatchSchema, what);
    await assertOwnMonitor(c, patch.monitor_id, what);
    await assertOwnChannels(c, patch.channel_ids, what);
    const rule = await updateRule(c.var.deps.db, c.var.principal.tenantId, existing.id, patch);
    if (!rule) throw notFound("Alert rule");
    return c.json(rule);
  },
  async DELETE(c) {
    const id = idParam(c, "Alert rule");
    if (!await deleteRule(c.var.deps.db, c.var.principal.tenantId, id)) {
      throw notFound("Alert rule");
    }
    return c.body(null, 204);
  },
};

/** What the OpenAPI document says of these methods. */
export const openapi: Record<string, OpenApiOperation> = {
  GET: { summary: "One alert rule" },
  PATCH: { summary: "Change an alert rule", body: rulePatchSchema },
  DELETE: { summary: "Delete an alert rule" },
};
