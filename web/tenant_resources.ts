import { getRule, tenantOwnsMonitor } from "../core/alerts/rules.ts";
import { foreignChannelIds, getChannelConfig } from "../core/notifications/channels.ts";
import { foreignMonitorIds } from "../core/monitors/queries.ts";
import { validationError } from "./body.ts";
import type { AlertRule } from "../core/alerts/alert_rule.ts";
import type { Monitor } from "../core/monitors/monitor.ts";
import { getMonitor } from "../core/monitors/queries.ts";
import type { AppContext } from "./app_env.ts";
import { notFound } from "./http_error.ts";
import { idParam } from "./request_info.ts";

/**
 * The monitor named by `:id` when it belongs to the signed-in tenant; else
 * `404 not_found`, the same for another tenant's monitor as for none.
 */
export async function requireMonitor(c: AppContext): Promise<Monitor> {
  const monitor = await getMonitor(c.var.deps.db, c.var.principal.tenantId, idParam(c, "Monitor"));
  if (!monitor) throw notFound("Monitor");
  return monitor;
}

/** The alert rule named by `:id` when it belongs to the signed-in tenant; else `404`. */
export async function requireRule(c: AppContext): Promise<AlertRule> {
  const rule = await getRule(c.var.deps.db, c.var.principal.tenantId, idParam(c, "Alert rule"));
  if (!rule) throw notFound("Alert rule");
  return rule;
}

/** Refuses a `monitor_id` in a body that is not a monitor of the signed-in tenant (`400`). */
export async function assertOwnMonitor(
  c: AppContext,
  monitorId: string | null | undefined,
  what: string,
): Promise<void> {
  if (monitorId && !await tenantOwnsMonitor(c.var.deps.db, c.var.principal.tenantId, monitorId)) {
    throw validationError(what, [{
      path: "monitor_id",
      message: "is not a monitor of this tenant",
    }]);
  }
}

/** The notification channel named by `:id` when it belongs to the signed-in tenant; else `404`. */
export async function requireChannel(c: AppContext) {
  const found = await getChannelConfig(
    c.var.deps.db,
    c.var.principal.tenantId,
    idParam(c, "Notification channel"),
  );
  if (!found) throw notFound("Notification channel");
  return found;
}

/** Refuses `channel_ids` in a body that are not channels of the signed-in tenant (`400`). */
export async function assertOwnChannels(
  c: AppContext,
  ids: string[] | undefined,
  what: string,
): Promise<void> {
  if (!ids?.length) return;
  const foreign = await foreignChannelIds(c.var.deps.db, c.var.principal.tenantId, ids);
  if (foreign.length) {
    throw validationError(what, [{
      path: "channel_ids",
      message: `${foreign.join(", ")} ${
        foreign.length === 1 ? "is not a channel" : "are not channels"
      } of this tenant`,
    }]);
  }
}

/** Refuses monitor ids in a body that are not monitors of the signed-in tenant (`400`). */
export async function assertOwnMonitors(
  c: AppContext,
  ids: string[] | undefined,
  what: string,
): Promise<void> {
  if (!ids?.length) return;
  const foreign = new Set(await foreignMonitorIds(c.var.deps.db, c.var.principal.tenantId, ids));
  const details = ids.flatMap((id, i) =>
    foreign.has(id)
      ? [{ path: `monitor_ids.${i}`, message: "is not a monitor of this tenant" }]
      : []
  );
  if (details.length) throw validationError(what, details);
}
