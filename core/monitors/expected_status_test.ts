import assert from "node:assert/strict";
import { parseExpectedStatus } from "./expected_status.ts";

Deno.test("parseExpectedStatus() reads ranges and lists", () => {
  assert.deepEqual(parseExpectedStatus("200-399"), [[200, 399]]);
  assert.deepEqual(parseExpectedStatus("200, 204,301-302"), [[200, 200], [
    204,
    204,
  ], [301, 302]]);
});

Deno.test("parseExpectedStatus() refuses malformed input", async (t) => {
  for (
    const bad of [
      "",
      "abc",
      "200-",
      "99",
      "600",
      "300-200",
      "200,,204",
      "2000",
      "-200",
    ]
  ) {
    await t.step(
      JSON.stringify(bad),
      () => assert.throws(() => parseExpectedStatus(bad), RangeError),
    );
  }
});
