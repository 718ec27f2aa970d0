import type { Check, Monitor } from "./types.ts";

/** A monitor merged with the latest live check for it. */
export function withLiveCheck(m: Monitor, check: Check | undefined): Monitor {
  if (!check || (m.last_check && m.last_check.checked_at > check.checked_at)) return m;
  return { ...m, last_check: check, status: check.success ? "up" : "down" };
}
