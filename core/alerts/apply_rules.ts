import type { Queryable } from "../db/database.ts";
import type { EventBody } from "../events/envelope.ts";
import { enabledRulesOf, openIncident, openIncidentsOf, resolveIncident } from "./incidents.ts";
import { historyDepth, planIncidents } from "./plan_incidents.ts";
import { readRuleHistory } from "./rule_history.ts";

/**
 * Evaluates the tenants' rules over monitors that were just checked, inside
 * the caller's transaction: reads each monitor's history to the depth of its
 * own rules, plans with the pure {@linkcode planIncidents}, applies the plan,
 * and answers one event per incident that really opened or resolved. This is
 * where notifications and maintenance windows hook in.
 */
export async function applyRules(
  tx: Queryable,
  monitors: readonly { tenantId: number; monitorId: string }[],
  now: Date,
): Promise<{ tenantId: number; event: EventBody }[]> {
  const [rules, open] = await Promise.all([
    enabledRulesOf(tx, [...new Set(monitors.map((m) => m.tenantId))]),
    openIncidentsOf(tx, monitors.map((m) => m.monitorId)),
  ]);
  const concerned = monitors.filter((m) =>
    historyDepth(rules, m) > 0 || open.some((i) => i.monitor_id === m.monitorId)
  );
  if (concerned.length === 0) return [];
  const history = await readRuleHistory(
    tx,
    concerned.map((m) => ({ monitorId: m.monitorId, depth: historyDepth(rules, m) })),
  );
  const plan = planIncidents(
    rules,
    open,
    concerned.map((m) => ({ ...m, checks: history.get(m.monitorId) ?? [] })),
    now,
  );

  const stamp = now.toISOString();
  const events: { tenantId: number; event: EventBody }[] = [];
  for (const opening of plan.open) {
    const created = await openIncident(tx, opening, stamp);
    if (!created) continue;
    events.push({
      tenantId: opening.tenantId,
      event: {
        type: "incident_created",
        data: {
          incident_id: created.id,
          monitor_id: created.monitor_id,
          alert_rule_id: opening.rule.id,
          rule_name: created.rule_name,
          trigger_value: created.trigger_value,
          status: "open",
          opened_at: created.opened_at,
        },
      },
    });
  }
  for (const { tenantId, incident } of plan.resolve) {
    const resolved = await resolveIncident(tx, incident.id, stamp);
    if (!resolved) continue; // another instance resolved it first
    events.push({
      tenantId,
      event: {
        type: "incident_resolved",
        data: {
          incident_id: resolved.id,
          monitor_id: resolved.monitor_id,
          alert_rule_id: resolved.alert_rule_id,
          rule_name: resolved.rule_name,
          status: "resolved",
          resolved_at: resolved.resolved_at ?? stamp,
        },
      },
    });
  }
  return events;
}
