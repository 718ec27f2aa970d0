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
  /**
   * From the path; `null` when the answer's `id` names the target (a create),
   * or when `self` is set: the target is the acting user.
   */
  targetId: string | null;
  /** The target is the signed-in user (a password change). */
  self?: true;
}

/** Actions on a resource's sub-path (`POST /monitors/:id/check`): target type and verb per method. */
const SUB_ACTIONS: Record<
  string,
  { targetType: string; verbs: Partial<Record<string, string>>; created?: boolean }
> = {
  "monitors/check": { targetType: "monitor", verbs: { POST: "checked" } },
  "monitors/badge": {
    targetType: "monitor",
    verbs: { POST: "badge_enabled", DELETE: "badge_disabled" },
  },
  "notification-channels/test": { targetType: "notification_channel", verbs: { POST: "tested" } },
  "notification-channels/rotate-secret": {
    targetType: "notification_channel",
    verbs: { POST: "secret_rotated" },
  },
  "deliveries/retry": { targetType: "delivery", verbs: { POST: "retried" } },
  "status-pages/reports": {
    targetType: "status_report",
    verbs: { POST: "created" },
    created: true,
  },
  "status-reports/updates": { targetType: "status_report", verbs: { POST: "update_posted" } },
};

/**
 * The account's own writes under `/auth/`: the rest there (sign-in, sign-out,
 * registering, switching tenant) acts for nobody signed in yet or changes no
 * tenant resource; accepting an invitation is recorded where it happens.
 */
const ACCOUNT_ACTIONS: Record<string, string> = {
  "password": "account.password_changed",
  "logout-everywhere": "account.signed_out_everywhere",
};

/** Paths that change no tenant resource or act for nobody signed in: stream tickets, push URLs. */
const NOT_AUDITED = new Set(["stream", "push", "public"]);

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
  if (resource === "auth") {
    const action = sub === undefined && method === "POST" ? ACCOUNT_ACTIONS[id] : undefined;
    return action ? { targetType: "user", action, targetId: null, self: true } : null;
  }
  if (sub !== undefined) {
    const known = SUB_ACTIONS[`${resource}/${sub}`];
    const verb = known?.verbs[method];
    if (!known || !verb) return null;
    return {
      targetType: known.targetType,
      action: `${known.targetType}.${verb}`,
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
