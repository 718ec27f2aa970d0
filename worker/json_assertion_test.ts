import assert from "node:assert/strict";
import { checkJsonAssertion, parsePath } from "./json_assertion.ts";

const body = JSON.stringify({
  status: "ok",
  load: 0.42,
  items: [{ state: "green" }, { state: "red" }],
  tags: ["eu", "prod"],
  ready: true,
});

Deno.test("parsePath() reads names and indexes", () => {
  assert.deepEqual(parsePath("$.items[1].state"), ["items", 1, "state"]);
  assert.deepEqual(parsePath("$"), []);
  assert.throws(() => parsePath("$.a..b"), RangeError);
});

Deno.test("checkJsonAssertion() holds and fails as a person expects", async (t) => {
  const cases: [string, "==" | "!=" | "<" | ">" | "contains", unknown, boolean][] = [
    ["$.status", "==", "ok", true],
    ["$.status", "==", "degraded", false],
    ["$.status", "!=", "degraded", true],
    ["$.items[1].state", "==", "red", true],
    ["$.items[5].state", "==", "red", false],
    ["$.load", "<", 1, true],
    ["$.load", ">", 1, false],
    ["$.ready", "==", true, true],
    ["$.status", "contains", "o", true],
    ["$.tags", "contains", "prod", true],
    ["$.tags", "contains", "us", false],
    ["$.missing", "!=", "x", true],
    ["$.ready", "<", 1, false],
  ];
  for (const [path, op, value, holds] of cases) {
    await t.step(`${path} ${op} ${JSON.stringify(value)}`, () => {
      assert.equal(checkJsonAssertion(body, { path, op, value }) === null, holds);
    });
  }
});

Deno.test("checkJsonAssertion() says what it found", () => {
  assert.equal(
    checkJsonAssertion(body, { path: "$.status", op: "==", value: "degraded" }),
    'JSON assertion failed: $.status is "ok", expected == "degraded"',
  );
  assert.equal(
    checkJsonAssertion("<html>", { path: "$.a", op: "==", value: 1 }),
    "JSON assertion: the body is not JSON",
  );
});
