import { applyRules } from "../alerts/apply_rules.ts";
import type { Database } from "../db/database.ts";
import { inMaintenance } from "../maintenance/maintenance_window.ts";
import { windowsOf } from "../maintenance/queries.ts";
import { enqueueIncidentNotifications } from "../notifications/outbox.ts";
import { appendEvents } from "../events/append_events.ts";
import type { EventBody, StoredEvent } from "../events/envelope.ts";
import type { Check } from "./check.ts";
import { insertChecks, recordLastChecks, type StoredResult } from "./queries.ts";
import { addRollups, rollupIncrements } from "./rollups.ts";
import type { CheckOutcome } from "./worker_protocol.ts";

export type { StoredResult } from "./queries.ts";

/** A worker outcome as the check row API.md shows. */
export function checkFromOutcome(o: CheckOutcome): Check {
  return {
    monitor_id: o.monitorId,
    success: o.success,
    status_code: o.statusCode,
    response_time_ms: o.responseTimeMs,
    error_message: o.errorMessage,
    ssl_valid: o.sslValid,
    ssl_expires_at: o.sslExpiresAt,
    checked_at: o.checkedAt,
  };
}

/**
 * Stores a batch of check outcomes in one transaction: each check row, its
 * monitor's status and last check, the hourly rollups, the tenants' rules
 * evaluated into opened or resolved incidents, and one event per happening,
 * appended with the tenants' next ids and notified at commit, and one
 * notification per channel of each incident that opened or resolved. All of it
 * commits or none of it, so a stored check always has its event and an
 * incident its notifications. Outcomes of
 * monitors deleted or disabled meanwhile are dropped.
 */
export async function storeResults(
  db: Database,
  outcomes: CheckOutcome[],
  now: () => Date = () => new Date(),
): Promise<{ stored: StoredResult[]; events: StoredEvent[]; notifications: number }> {
  if (outcomes.length === 0) return { stored: [], events: [], notifications: 0 };
  const checks = outcomes.map(checkFromOutcome);
  return await db.transaction(async (tx) => {
    const monitors = await recordLastChecks(tx, checks);
    const byId = new Map(monitors.map((m) => [m.id, m]));
    const kept = checks.filter((c) => byId.has(c.monitor_id));
    if (kept.length === 0) return { stored: [], events: [], notifications: 0 };
    const stored = kept.map((check) => ({
      tenantId: byId.get(check.monitor_id)!.tenant_id,
      check,
    }));
    // Each statement below is sent as soon as what it needs is known, without
    // waiting for the others, so on a PostgreSQL server they travel together
    // (pipelined on the transaction's connection): a batch costs five round trips
    // instead of nine. They still run in the order they are sent: the check rows
    // first (the rules read them), then the windows, the rules and open incidents,
    // the rollups, the incidents' writes, the notifications, the events.
    const inserted = insertChecks(tx, stored);
    const windows = windowsOf(tx, [...new Set(stored.map((s) => s.tenantId))]);
    // Checks inside a window that excludes them from uptime are kept, but not counted.
    const rolledUp = windows.then((w) =>
      addRollups(
        tx,
        rollupIncrements(
          kept.filter((c) =>
            !inMaintenance(w, c.monitor_id, Date.parse(c.checked_at), "exclude_from_uptime")
          ),
        ),
      )
    );
    const ruled = applyRules(
      tx,
      stored.map((s) => {
        const m = byId.get(s.check.monitor_id)!;
        return {
          tenantId: s.tenantId,
          monitorId: m.id,
          name: m.name,
          url: m.url,
          error: s.check.error_message,
        };
      }),
      now(),
    );
    const appended = Promise.all([windows, ruled]).then(
      async ([w, { events: incidentEvents, changes }]) => {
        // Incidents still open and resolve inside a muting window; nobody is woken for them.
        const at = now().getTime();
        const notifications = await enqueueIncidentNotifications(
          tx,
          changes.filter((ch) => !inMaintenance(w, ch.monitor.id, at, "mute_notifications")),
        );
        const happenings: { tenantId: number; event: EventBody }[] = stored.map((s) => ({
          tenantId: s.tenantId,
          event: {
            type: "monitor_check",
            data: { monitor_name: byId.get(s.check.monitor_id)!.name, ...s.check },
          },
        }));
        happenings.push(...incidentEvents);
        return { notifications, events: await appendEvents(tx, happenings) };
      },
    );
    const [, , { notifications, events }] = await Promise.all([inserted, rolledUp, appended]);
    return { stored, events, notifications };
  });
}
