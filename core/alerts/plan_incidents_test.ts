import assert from "node:assert/strict";
import type { RuleCheck } from "./evaluate_rule.ts";
import type { Incident } from "./incident.ts";
import { historyDepth, planIncidents, type PlanRule } from "./plan_incidents.ts";

const NOW = new Date("2026-12-01T12:00:00.000Z");
const M1 = "00000000-0000-4000-8000-000000000001";
const M2 = "00000000-0000-4000-8000-000000000002";

const down: RuleCheck = { success: false, response_time_ms: null, ssl_expires_at: null };
const up: RuleCheck = { success: true, response_time_ms: 120, ssl_expires_at: null };
const slow: RuleCheck = { success: true, response_time_ms: 5000, ssl_expires_at: null };

function rule(id: string, over: Partial<PlanRule> = {}): PlanRule {
  return {
    id,
    tenant_id: 1,
    name: `rule ${id}`,
    monitor_id: null,
    condition: { type: "consecutive_failures", count: 2 },
    ...over,
  };
}

function incident(ruleId: string | null, monitorId = M1): Incident {
  return {
    id: `inc-${ruleId}-${monitorId}`,
    monitor_id: monitorId,
    alert_rule_id: ruleId,
    rule_name: `rule ${ruleId}`,
    status: "open",
    trigger_value: 2,
    opened_at: "2026-12-01T11:00:00.000Z",
    resolved_at: null,
  };
}

Deno.test("planIncidents() decides openings and resolutions", async (t) => {
  const cases: {
    name: string;
    rules: PlanRule[];
    open: Incident[];
    checks: RuleCheck[];
    tenantId?: number;
    expectOpen: { rule: string; value: number }[];
    expectResolve: { rule: string | null; reason: string }[];
  }[] = [
    {
      name: "opens when the condition becomes true",
      rules: [rule("a")],
      open: [],
      checks: [down, down, up],
      expectOpen: [{ rule: "a", value: 2 }],
      expectResolve: [],
    },
    {
      name: "does not open twice while one is open",
      rules: [rule("a")],
      open: [incident("a")],
      checks: [down, down, down],
      expectOpen: [],
      expectResolve: [],
    },
    {
      name: "resolves when the condition is false again",
      rules: [rule("a")],
      open: [incident("a")],
      checks: [up, down, down],
      expectOpen: [],
      expectResolve: [{ rule: "a", reason: "recovered" }],
    },
    {
      name: "stays quiet below the threshold",
      rules: [rule("a")],
      open: [],
      checks: [down, up],
      expectOpen: [],
      expectResolve: [],
    },
    {
      name: "resolves an incident whose rule is gone",
      rules: [],
      open: [incident("gone")],
      checks: [down],
      expectOpen: [],
      expectResolve: [{ rule: "gone", reason: "rule_gone" }],
    },
    {
      name: "resolves an incident whose rule moved to another monitor",
      rules: [rule("a", { monitor_id: M2 })],
      open: [incident("a")],
      checks: [down, down],
      expectOpen: [],
      expectResolve: [{ rule: "a", reason: "rule_gone" }],
    },
    {
      name: "ignores another tenant's rules",
      rules: [rule("a", { tenant_id: 2 })],
      open: [],
      checks: [down, down],
      expectOpen: [],
      expectResolve: [],
    },
    {
      name: "leaves an incident alone without history",
      rules: [rule("a")],
      open: [incident("a")],
      checks: [],
      expectOpen: [],
      expectResolve: [],
    },
    {
      name: "evaluates every rule of the monitor",
      rules: [
        rule("a"),
        rule("b", { condition: { type: "response_time_above", ms: 1000, for_checks: 1 } }),
      ],
      open: [],
      checks: [slow],
      expectOpen: [{ rule: "b", value: 5000 }],
      expectResolve: [],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const plan = planIncidents(c.rules, c.open, [
        { tenantId: c.tenantId ?? 1, monitorId: M1, checks: c.checks },
      ], NOW);
      assert.deepEqual(plan.open.map((o) => ({ rule: o.rule.id, value: o.value })), c.expectOpen);
      assert.deepEqual(
        plan.resolve.map((r) => ({ rule: r.incident.alert_rule_id, reason: r.reason })),
        c.expectResolve,
      );
    });
  }
});

Deno.test("planIncidents() plans a monitor once even when it appears twice in a batch", () => {
  const plan = planIncidents([rule("a")], [], [
    { tenantId: 1, monitorId: M1, checks: [down, down] },
    { tenantId: 1, monitorId: M1, checks: [down, down] },
  ], NOW);
  assert.equal(plan.open.length, 1);
});

Deno.test("historyDepth() is the deepest rule of the monitor's own tenant only", () => {
  const rules = [
    rule("a", { condition: { type: "consecutive_failures", count: 3 } }),
    rule("b", { tenant_id: 2, condition: { type: "consecutive_failures", count: 100 } }),
    rule("c", { monitor_id: M2, condition: { type: "consecutive_failures", count: 50 } }),
  ];
  assert.equal(historyDepth(rules, { tenantId: 1, monitorId: M1 }), 3);
  assert.equal(historyDepth(rules, { tenantId: 1, monitorId: M2 }), 50);
  assert.equal(historyDepth(rules, { tenantId: 3, monitorId: M1 }), 0);
});
