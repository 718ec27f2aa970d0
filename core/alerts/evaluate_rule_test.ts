import assert from "node:assert/strict";
import { evaluateRule, type RuleCheck } from "./evaluate_rule.ts";
import type { Condition } from "./schema.ts";

const NOW = new Date("2026-11-27T12:00:00Z");
const ok = (ms = 100): RuleCheck => ({
  success: true,
  response_time_ms: ms,
  ssl_expires_at: null,
});
const fail = (): RuleCheck => ({
  success: false,
  response_time_ms: null,
  ssl_expires_at: null,
});
const tls = (days: number): RuleCheck => ({
  success: true,
  response_time_ms: 50,
  ssl_expires_at: new Date(NOW.getTime() + days * 86_400_000 + 3_600_000)
    .toISOString(),
});

/** Feeds checks one by one (oldest first) and records each decision. */
function run(condition: Condition, sequence: RuleCheck[]): string[] {
  const seen: RuleCheck[] = [];
  let open = false;
  const out: string[] = [];
  for (const c of sequence) {
    seen.unshift(c);
    const d = evaluateRule(condition, seen, open, NOW);
    if (d.action === "open") open = true;
    if (d.action === "resolve") open = false;
    out.push(d.action === "open" ? `open:${d.value}` : d.action);
  }
  return out;
}

Deno.test("evaluateRule() consecutive_failures opens once and resolves on success", async (t) => {
  const c: Condition = { type: "consecutive_failures", count: 3 };
  const table: [string, RuleCheck[], string[]][] = [
    ["two failures stay quiet", [fail(), fail(), ok()], [
      "none",
      "none",
      "none",
    ]],
    ["three open", [fail(), fail(), fail()], ["none", "none", "open:3"]],
    ["more failures do not reopen", [fail(), fail(), fail(), fail()], [
      "none",
      "none",
      "open:3",
      "none",
    ]],
    ["success resolves", [fail(), fail(), fail(), ok()], [
      "none",
      "none",
      "open:3",
      "resolve",
    ]],
    ["broken streak restarts", [fail(), fail(), ok(), fail(), fail()], [
      "none",
      "none",
      "none",
      "none",
      "none",
    ]],
    [
      "reopens after resolving",
      [fail(), ok(), fail()].concat([fail(), fail()]),
      [
        "none",
        "none",
        "none",
        "none",
        "open:3",
      ],
    ],
  ];
  for (const [name, seq, expected] of table) {
    await t.step(name, () => assert.deepEqual(run(c, seq), expected));
  }
});

Deno.test("evaluateRule() response_time_above needs for_checks slow checks", async (t) => {
  const c: Condition = { type: "response_time_above", ms: 500, for_checks: 2 };
  const table: [string, RuleCheck[], string[]][] = [
    ["one slow is not enough", [ok(900), ok(100)], ["none", "none"]],
    ["two slow open with the latest time", [ok(900), ok(700)], [
      "none",
      "open:700",
    ]],
    ["fast resolves", [ok(900), ok(700), ok(100)], [
      "none",
      "open:700",
      "resolve",
    ]],
    ["failure without time is not slow", [ok(900), fail()], ["none", "none"]],
    ["equal to threshold is not above", [ok(500), ok(500)], ["none", "none"]],
  ];
  for (const [name, seq, expected] of table) {
    await t.step(name, () => assert.deepEqual(run(c, seq), expected));
  }
});

Deno.test("evaluateRule() ssl_expires_within compares days left", async (t) => {
  const c: Condition = { type: "ssl_expires_within", days: 14 };
  const table: [string, RuleCheck[], string[]][] = [
    ["far expiry is quiet", [tls(60)], ["none"]],
    ["near expiry opens with days left", [tls(10)], ["open:10"]],
    ["renewed certificate resolves", [tls(10), tls(90)], [
      "open:10",
      "resolve",
    ]],
    ["no TLS info leaves it open", [tls(3), fail()], ["open:3", "none"]],
    ["expired counts", [tls(-2)], ["open:-2"]],
  ];
  for (const [name, seq, expected] of table) {
    await t.step(name, () => assert.deepEqual(run(c, seq), expected));
  }
});
