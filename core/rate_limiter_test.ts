import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limiter.ts";

Deno.test("RateLimiter counts per key within a window", () => {
  let now = 0;
  const limiter = new RateLimiter({ limit: 3, windowMs: 10_000, now: () => now });
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.retryAfter("a"), 0);
    limiter.hit("a");
  }
  assert.equal(limiter.retryAfter("a"), 10);
  assert.equal(limiter.retryAfter("b"), 0, "other keys are not affected");
  now = 4_500;
  assert.equal(limiter.retryAfter("a"), 6);
  now = 10_001;
  assert.equal(limiter.retryAfter("a"), 0, "the window ends");
});

Deno.test("RateLimiter forgets the oldest keys past maxKeys", () => {
  const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, maxKeys: 2 });
  limiter.hit("a");
  limiter.hit("b");
  limiter.hit("c");
  assert.equal(limiter.retryAfter("a"), 0);
  assert.ok(limiter.retryAfter("c") > 0);
});

Deno.test("RateLimiter.take() counts and refuses in one step", () => {
  const limiter = new RateLimiter({ limit: 2, windowMs: 1000, now: () => 0 });
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 0);
  assert.equal(limiter.take("k"), 1);
  assert.equal(limiter.take("other"), 0);
});
