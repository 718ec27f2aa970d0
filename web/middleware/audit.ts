import type { MiddlewareHandler } from "hono";
import { type Actor, auditedAction, recordAudit } from "../../core/audit/audit_log.ts";
import type { AppEnv } from "../app_env.ts";

/**
 * Records every successful write through the API in the tenant's audit log
 * (API.md): who (the user, or the API key), what (`monitor.created`) and on
 * which target. A refused or failed request changed nothing and is not
 * recorded. The entry is written before the answer leaves, so a client that
 * got its `2xx` finds the entry.
 */
export function audit(): MiddlewareHandler<AppEnv> {
  return async function audit(c, next) {
    await next();
    const principal = c.var.principal;
    if (!principal || c.res.status < 200 || c.res.status >= 300) return;
    const what = auditedAction(c.req.method, new URL(c.req.url).pathname);
    if (!what) return;
    let targetId = what.self ? principal.userId : what.targetId;
    if (targetId === null && c.res.headers.get("content-type")?.includes("json")) {
      const body = await c.res.clone().json().catch(() => null);
      targetId = typeof body?.id === "string" ? body.id : null;
    }
    const db = c.var.deps.db;
    const key = c.var.apiKey;
    let actor: Actor;
    if (key) actor = { type: "api_key", id: key.id, label: key.name };
    else {
      const [user] = await db.query<{ email: string }>("SELECT email FROM users WHERE id = $1", [
        principal.userId,
      ]);
      actor = { type: "user", id: principal.userId, label: user?.email ?? principal.userId };
    }
    await recordAudit(db, principal.tenantId, actor, {
      action: what.action,
      targetType: what.targetType,
      targetId,
    });
  };
}
