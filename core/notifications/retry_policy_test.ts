import assert from "node:assert/strict";
import { nextAttemptAt, parseRetryAfter, resultOfStatus } from "./retry_policy.ts";

const fail = (over = {}) =>
  ({ ok: false, retryable: true, status: 500, error: "answered 500", ...over }) as const;

Deno.test("resultOfStatus() retries 408, 429 and 5xx, fails other 4xx at once", () => {
  assert.equal(resultOfStatus(200, "", null).ok, true);
  assert.equal(resultOfStatus(204, "", null).ok, true);
  for (const s of [408, 429, 500, 503]) {
    const r = resultOfStatus(s, "", null);
    assert.ok(!r.ok && r.retryable, String(s));
  }
  for (const s of [400, 401, 404, 410]) {
    const r = resultOfStatus(s, "bad", null);
    assert.ok(!r.ok && !r.retryable, String(s));
  }
});

Deno.test("nextAttemptAt() follows 10 s, 30 s, 2 min, 10 min, 30 min, then hourly", () => {
  const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => nextAttemptAt(fail(), n, 0, 0)! / 1000);
  assert.deepEqual(waits, [10, 30, 120, 600, 1800, 3600, 3600, 3600]);
});

Deno.test("nextAttemptAt() honours a longer Retry-After, gives up after 24 h and on 4xx", () => {
  assert.equal(nextAttemptAt(fail({ retryAfterMs: 45_000 }), 1, 0, 0), 45_000);
  assert.equal(nextAttemptAt(fail({ retryAfterMs: 1_000 }), 1, 0, 0), 10_000);
  assert.equal(nextAttemptAt(fail(), 10, 0, 23.5 * 3_600_000), null);
  assert.equal(nextAttemptAt(fail({ retryable: false, status: 400 }), 1, 0, 0), null);
});

Deno.test("parseRetryAfter() reads seconds and HTTP dates", () => {
  assert.equal(parseRetryAfter("3"), 3000);
  assert.equal(parseRetryAfter(new Date(61_000).toUTCString(), 1_000), 60_000);
  assert.equal(parseRetryAfter("soon"), undefined);
  assert.equal(parseRetryAfter(null), undefined);
});
