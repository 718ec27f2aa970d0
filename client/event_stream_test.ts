import assert from "node:assert/strict";
import { backoffMs, reconnectDelayMs } from "./event_stream.ts";

Deno.test("backoffMs() doubles from 1 s to a 30 s ceiling, with ±20 % jitter", () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 10].map((n) => backoffMs(n, mid)), [
    1000,
    2000,
    4000,
    8000,
    16000,
    30000,
    30000,
    30000,
  ]);
  assert.equal(backoffMs(1, () => 0), 800);
  assert.equal(backoffMs(1, () => 0.999999), 1200);
  assert.equal(backoffMs(10, () => 0.999999), 36000);
});

Deno.test("reconnectDelayMs() honours the server's retry on the first attempt only", () => {
  const mid = () => 0.5;
  assert.equal(reconnectDelayMs(1, 250, mid), 250);
  assert.equal(reconnectDelayMs(1, null, mid), 1000);
  assert.equal(reconnectDelayMs(2, 250, mid), 2000);
});
