import type { Queryable } from "../db/database.ts";
import type { EventBody } from "../events/envelope.ts";
import type { Incident } from "./incident.ts";
import {
  enabledRulesOf,
  openIncident,
  openIncidentsOf,
  resolveIncident,
  rulesById,
} from "./incidents.ts";
import type { Condition } from "./schema.ts";
import { historyDepth, planIncidents } from "./plan_incidents.ts";
import { readRuleHistory } from "./rule_history.ts";

/** A monitor that was just checked, as applying rules needs it. */
export interface CheckedMonitorInfo {
  tenantId: number;
  monitorId: string;
  name: string;
  url: string;
  /** The error of its latest check, `null` when it succeeded. */
  error: string | null;
}

/** An incident that really opened or resolved, with what its notifications need. */
export interface IncidentChange {
  tenantId: number;
  kind: "incident_opened" | "incident_resolved";
  incident: Incident;
  monitor: { id: string; name: string; url: string };
  rule: { id: string | null; name: string; condition: Condition | null };
  /** The rule's channels; empty: the tenant's default channels. */
  channelIds: string[];
  error: string | null;
}

/**
 * Evaluates the tenants' rules over monitors that were just checked, inside
 * the caller's transaction: reads each monitor's history to the depth of its
 * own rules, plans with the pure {@linkcode planIncidents}, applies the plan,
 * and answers one event per incident that really opened or resolved, and the
 * changes themselves (which the caller turns into notifications; the caller
 * leaves out those inside a muting maintenance window).
 */
export async function applyRules(
  tx: Queryable,
  monitors: readonly CheckedMonitorInfo[],
  now: Date,
): Promise<{ events: { tenantId: number; event: EventBody }[]; changes: IncidentChange[] }> {
  const [rules, open] = await Promise.all([
    enabledRulesOf(tx, [...new Set(monitors.map((m) => m.tenantId))]),
    openIncidentsOf(tx, monitors.map((m) => m.monitorId)),
  ]);
  const concerned = monitors.filter((m) =>
    historyDepth(rules, m) > 0 || open.some((i) => i.monitor_id === m.monitorId)
  );
  if (concerned.length === 0) return { events: [], changes: [] };
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
  const changes: IncidentChange[] = [];
  const info = new Map(monitors.map((m) => [m.monitorId, m]));
  const monitorOf = (id: string) => {
    const m = info.get(id)!;
    return { id, name: m.name, url: m.url };
  };
  for (const opening of plan.open) {
    const created = await openIncident(tx, opening, stamp);
    if (!created) continue;
    changes.push({
      tenantId: opening.tenantId,
      kind: "incident_opened",
      incident: created,
      monitor: monitorOf(created.monitor_id),
      rule: { id: opening.rule.id, name: opening.rule.name, condition: opening.rule.condition },
      channelIds: opening.rule.channel_ids ?? [],
      error: info.get(created.monitor_id)?.error ?? null,
    });
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
  // Rules of resolved incidents that are no longer enabled still name their channels.
  const gone = plan.resolve.map((r) => r.incident.alert_rule_id).filter((id): id is string =>
    id !== null && !rules.some((r) => r.id === id)
  );
  const known = new Map([...rules, ...await rulesById(tx, gone)].map((r) => [r.id, r]));
  for (const { tenantId, incident } of plan.resolve) {
    const resolved = await resolveIncident(tx, incident.id, stamp);
    if (!resolved) continue; // another instance resolved it first
    const rule = resolved.alert_rule_id ? known.get(resolved.alert_rule_id) : undefined;
    changes.push({
      tenantId,
      kind: "incident_resolved",
      incident: resolved,
      monitor: monitorOf(resolved.monitor_id),
      rule: {
        id: resolved.alert_rule_id,
        name: resolved.rule_name,
        condition: rule?.condition ?? null,
      },
      channelIds: rule?.channel_ids ?? [],
      error: null,
    });
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
  return { events, changes };
}
