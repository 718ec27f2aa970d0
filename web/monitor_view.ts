import { inMaintenance, type MaintenanceWindow } from "../core/maintenance/maintenance_window.ts";
import type { Monitor } from "../core/monitors/monitor.ts";
import type { AppContext } from "./app_env.ts";
import { ownOrigin } from "./request_info.ts";

/**
 * A monitor as answered: `in_maintenance` from the tenant's windows, and a
 * push monitor's `push_url` under the public origin.
 */
export function presentMonitor(
  c: AppContext,
  m: Monitor,
  windows: readonly MaintenanceWindow[] = [],
): Monitor {
  const out = { ...m, in_maintenance: inMaintenance(windows, m.id, Date.now()) };
  if (!m.push_token) return out;
  const origin = c.var.deps.config.publicUrl ?? ownOrigin(c, c.var.deps.config.trustProxy);
  return { ...out, push_url: `${origin}/api/v1/push/${m.push_token}` };
}
