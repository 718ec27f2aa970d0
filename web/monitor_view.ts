import type { Monitor } from "../core/monitors/monitor.ts";
import type { AppContext } from "./app_env.ts";
import { ownOrigin } from "./request_info.ts";

/** A monitor as answered: a push monitor gets its `push_url` under the public origin. */
export function presentMonitor(c: AppContext, m: Monitor): Monitor {
  if (!m.push_token) return m;
  const origin = c.var.deps.config.publicUrl ?? ownOrigin(c, c.var.deps.config.trustProxy);
  return { ...m, push_url: `${origin}/api/v1/push/${m.push_token}` };
}
