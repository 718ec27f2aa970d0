import type { Queryable } from "../db/database.ts";
import { iso } from "../db/rows.ts";

/** Who made a change: a signed-in user (labelled by email) or an API key (by name). */
export interface Actor {
  type: "user" | "api_key";
  id: string;
  label: string;
}

/** An audit log entry as API.md lists it. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: Actor;
  /** Like `monitor.created`, `alert_rule.deleted`, `api_key.created`. */
  action: string;
  target_type: string;
  target_id: string | null;
}

/** What a write request did, read from its method and path by {@linkcode auditedAction}. */
export interface AuditedAction {
  targetType: string;
  action: string;
  /** From the path; `null` when the answer's `id` names the target (a create). */
  targetId: string | null;
}

/** Actions on a resource's sub-path (`POST /monitors/:id/check`): target type and verb. */
const SUB_ACTIONS: Record<string, { targetType: string; verb: string; created?: boolean }> = {
  "monitors/check": { targetType: "monitor", verb: "checked" },
  "notification-channels/test": { targetType: "notification_channel", verb: "tested" },
  "notification-channels/rotate-secret": {
    targetType: "notification_channel",
    verb: "secret_rotated",
  },
  "deliveries/retry": { targetType: "delivery", verb: "retried" },
  "status-pages/reports": { targetType: "status_report", verb: "created", created: true },
  "status-reports/updates": { targetType: "status_report", verb: "update_posted" },
};

/** Paths that change no tenant resource or act for nobody signed in: sign-in, stream tickets, push URLs. */
const NOT_AUDITED = new Set(["auth", "stream", "push", "public"]);

const VERBS: Record<string, string> = { PATCH: "updated", PUT: "updated", DELETE: "deleted" };

/** Actions with a better name than the method's verb. */
const RENAMED: Record<string, string> = {
  "member.updated": "member.role_changed",
  "member.deleted": "member.removed",
};

/** `alert-rules` → `alert_rule`, `deliveries` → `delivery`. */
function singular(resource: string): string {
  return resource.replaceAll("-", "_").replace(/ies$/, "y").replace(/s$/, "");
}

/**
 * The audit entry a write to `pathname` makes, or `null` for reads and for
 * paths that are not audited. Pure: the API middleware calls it for every
 * successful write and fills in the actor and, for a create, the new id.
 */
export function auditedAction(method: string, pathname: string): AuditedAction | null {
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return null;
  const m = /^\/api\/v1\/(.*?)\/?$/.exec(pathname);
  if (!m) return null;
  const [resource, id, sub, ...rest] = m[1].split("/");
  if (!resource || NOT_AUDITED.has(resource) || rest.length > 0) return null;
  if (sub !== undefined) {
    const known = SUB_ACTIONS[`${resource}/${sub}`];
    if (!known || method !== "POST") return null;
    return {
      targetType: known.targetType,
      action: `${known.targetType}.${known.verb}`,
      targetId: known.created ? null : decodeURIComponent(id),
    };
  }
  const targetType = singular(resource);
  if (id === undefined) {
    return method === "POST"
      ? { targetType, action: `${targetType}.created`, targetId: null }
      : null;
  }
  const verb = VERBS[method];
  if (!verb) return null;
  const action = `${targetType}.${verb}`;
  return { targetType, action: RENAMED[action] ?? action, targetId: decodeURIComponent(id) };
}

/** Appends one entry to a tenant's audit log. */
export async function recordAudit(
  db: Queryable,
  tenantId: number,
  actor: Actor,
  what: { action: string; targetType: string; targetId: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (tenant_id, actor_type, actor_id, actor_label, action, target_type, target_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [tenantId, actor.type, actor.id, actor.label, what.action, what.targetType, what.targetId],
  );
}

/** A tenant's audit log, newest first, `limit` entries strictly before `before`. */
export async function listAudit(
  db: Queryable,
  tenantId: number,
  opts: { limit: number; before?: string },
): Promise<AuditEntry[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT id, at, actor_type, actor_id, actor_label, action, target_type, target_id
     FROM audit_log WHERE tenant_id = $1 AND ($2::timestamptz IS NULL OR at < $2::timestamptz)
     ORDER BY at DESC, id DESC LIMIT $3`,
    [tenantId, opts.before ?? null, opts.limit],
  );
  return rows.map((r) => ({
    id: r.id as string,
    at: iso(r.at)!,
    actor: {
      type: r.actor_type as Actor["type"],
      id: r.actor_id as string,
      label: r.actor_label as string,
    },
    action: r.action as string,
    target_type: r.target_type as string,
    target_id: (r.target_id as string | null) ?? null,
  }));
}
