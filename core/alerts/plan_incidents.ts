import { checksNeeded, evaluateRule, type RuleCheck } from "./evaluate_rule.ts";
import type { Incident } from "./incident.ts";
import type { Condition } from "./schema.ts";

/** An enabled rule as planning needs it. */
export interface PlanRule {
  id: string;
  tenant_id: number;
  name: string;
  /** `null`: every monitor of the tenant. */
  monitor_id: string | null;
  condition: Condition;
  /** The channels its incidents notify; empty: the tenant's defaults (not used in planning). */
  channel_ids?: string[];
}

/** A monitor that was just checked, with its recent checks, newest first. */
export interface CheckedMonitor {
  tenantId: number;
  monitorId: string;
  checks: readonly RuleCheck[];
}

/** An incident to open. */
export interface PlannedOpening {
  tenantId: number;
  monitorId: string;
  rule: PlanRule;
  value: number;
}

/** An open incident to resolve. */
export interface PlannedResolution {
  tenantId: number;
  incident: Incident;
  /** Why: the rule's condition is false again, or the rule no longer applies. */
  reason: "recovered" | "rule_gone";
}

/** What one batch of checks does to incidents. */
export interface IncidentPlan {
  open: PlannedOpening[];
  resolve: PlannedResolution[];
}

/** The enabled rules of a tenant that apply to one monitor. */
export function rulesFor(
  rules: readonly PlanRule[],
  monitor: { tenantId: number; monitorId: string },
): PlanRule[] {
  return rules.filter((r) =>
    r.tenant_id === monitor.tenantId &&
    (r.monitor_id === null || r.monitor_id === monitor.monitorId)
  );
}

/**
 * How many recent checks of a monitor its own rules need (0 when none applies):
 * each monitor's history is read to its own depth, so one tenant's deep rule
 * does not slow another tenant's checks.
 */
export function historyDepth(
  rules: readonly PlanRule[],
  monitor: { tenantId: number; monitorId: string },
): number {
  let depth = 0;
  for (const rule of rulesFor(rules, monitor)) {
    depth = Math.max(depth, checksNeeded(rule.condition));
  }
  return depth;
}

/**
 * Decides which incidents open and which resolve after a batch of checks.
 * Pure: the rules, the open incidents, each checked monitor's history and the
 * clock are handed in. A rule whose condition became true opens an incident
 * when none is open for it and the monitor; a false condition resolves it. An
 * open incident whose rule was deleted, disabled or moved to another monitor
 * resolves too. A rule without enough history leaves its incident as it is.
 */
export function planIncidents(
  rules: readonly PlanRule[],
  openIncidents: readonly Incident[],
  history: readonly CheckedMonitor[],
  now: Date,
): IncidentPlan {
  const plan: IncidentPlan = { open: [], resolve: [] };
  const seen = new Set<string>();
  for (const monitor of history) {
    if (seen.has(monitor.monitorId)) continue;
    seen.add(monitor.monitorId);
    const own = rulesFor(rules, monitor);
    const mine = openIncidents.filter((i) => i.monitor_id === monitor.monitorId);
    for (const rule of own) {
      const incident = mine.find((i) => i.alert_rule_id === rule.id);
      const decision = evaluateRule(rule.condition, monitor.checks, incident !== undefined, now);
      if (decision.action === "open") {
        plan.open.push({
          tenantId: monitor.tenantId,
          monitorId: monitor.monitorId,
          rule,
          value: decision.value,
        });
      } else if (decision.action === "resolve" && incident) {
        plan.resolve.push({ tenantId: monitor.tenantId, incident, reason: "recovered" });
      }
    }
    for (const incident of mine) {
      if (!own.some((r) => r.id === incident.alert_rule_id)) {
        plan.resolve.push({ tenantId: monitor.tenantId, incident, reason: "rule_gone" });
      }
    }
  }
  return plan;
}
