import type { Hono } from "hono";
import {
  createRule,
  deleteRule,
  getRule,
  listRules,
  tenantOwnsMonitor,
  updateRule,
} from "../../../core/alerts/rules.ts";
import { ruleCreateSchema, rulePatchSchema } from "../../../core/alerts/schema.ts";
import { notFound } from "../../../core/http_error.ts";
import type { AppDeps, AppEnv } from "../../_env.ts";
import { idParam, readJson, validationError } from "../../_http.ts";
import { authenticate } from "../../_middleware/authenticate.ts";
import { route } from "../../_route.ts";

/** `/api/v1/alert-rules/**`. */
export function alertRuleRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const auth = authenticate(deps);
  const { db } = deps;

  async function assertOwnMonitor(
    tenantId: number,
    monitorId: string | null | undefined,
    what: string,
  ) {
    if (monitorId && !await tenantOwnsMonitor(db, tenantId, monitorId)) {
      throw validationError(what, [{
        path: "monitor_id",
        message: "is not a monitor of this tenant",
      }]);
    }
  }

  route(app, "/api/v1/alert-rules", {
    GET: [
      auth,
      async (c) =>
        c.json({
          alert_rules: await listRules(db, c.get("principal").tenantId),
        }),
    ],
    POST: [auth, async (c) => {
      const what = "Cannot create alert rule";
      const tenantId = c.get("principal").tenantId;
      const input = await readJson(c, ruleCreateSchema, what);
      await assertOwnMonitor(tenantId, input.monitor_id, what);
      return c.json(await createRule(db, tenantId, input), 201);
    }],
  });

  route(app, "/api/v1/alert-rules/:id", {
    GET: [auth, async (c) => {
      const rule = await getRule(db, c.get("principal").tenantId, idParam(c));
      if (!rule) throw notFound("Alert rule");
      return c.json(rule);
    }],
    PATCH: [auth, async (c) => {
      const what = "Cannot update alert rule";
      const tenantId = c.get("principal").tenantId;
      if (!await getRule(db, tenantId, idParam(c))) {
        throw notFound("Alert rule");
      }
      const patch = await readJson(c, rulePatchSchema, what);
      await assertOwnMonitor(tenantId, patch.monitor_id, what);
      const rule = await updateRule(db, tenantId, idParam(c), patch);
      if (!rule) throw notFound("Alert rule");
      return c.json(rule);
    }],
    DELETE: [auth, async (c) => {
      if (!await deleteRule(db, c.get("principal").tenantId, idParam(c))) {
        throw notFound("Alert rule");
      }
      return c.body(null, 204);
    }],
  });
}
