import assert from "node:assert/strict";
import {
  HISTOGRAM_BOUNDS,
  histogramBucket,
  percentileFromHistogram,
  rollupIncrements,
} from "./rollups.ts";

Deno.test("histogramBucket() puts bounds in their own bucket", () => {
  assert.equal(histogramBucket(0), 0);
  assert.equal(histogramBucket(10), 0);
  assert.equal(histogramBucket(11), 1);
  assert.equal(histogramBucket(1_000_000), HISTOGRAM_BOUNDS.length - 1);
});

Deno.test("percentileFromHistogram() interpolates within the bucket", () => {
  const counts = new Array(HISTOGRAM_BOUNDS.length).fill(0);
  assert.equal(percentileFromHistogram(counts, 0.95), null);
  counts[histogramBucket(80)] = 100; // all within 75–100 ms
  const p95 = percentileFromHistogram(counts, 0.95)!;
  assert.ok(p95 > 75 && p95 <= 100, `p95 ${p95}`);
  counts[histogramBucket(5000)] = 10; // a slow tail of 10 of 110
  const tail = percentileFromHistogram(counts, 0.95)!;
  assert.ok(tail > 3000 && tail <= 5000, `p95 with tail ${tail}`);
});

Deno.test("rollupIncrements() groups by monitor and hour, counting up and timed checks", () => {
  const base = {
    status_code: 200,
    error_message: null,
    ssl_valid: null,
    ssl_expires_at: null,
  };
  const rows = rollupIncrements([
    {
      ...base,
      monitor_id: "a",
      success: true,
      response_time_ms: 80,
      checked_at: "2026-12-01T10:05:00.000Z",
    },
    {
      ...base,
      monitor_id: "a",
      success: false,
      response_time_ms: null,
      checked_at: "2026-12-01T10:59:59.000Z",
    },
    {
      ...base,
      monitor_id: "a",
      success: true,
      response_time_ms: 5000,
      checked_at: "2026-12-01T11:00:00.000Z",
    },
    {
      ...base,
      monitor_id: "b",
      success: true,
      response_time_ms: 20,
      checked_at: "2026-12-01T10:30:00.000Z",
    },
  ]);
  assert.equal(rows.length, 3);
  const a10 = rows.find((r) => r.monitor_id === "a" && r.hour === "2026-12-01T10:00:00.000Z")!;
  assert.equal(a10.checks, 2);
  assert.equal(a10.up, 1);
  assert.equal(a10.time_sum, 80);
  assert.equal(a10.time_count, 1);
  assert.equal(a10.histogram[histogramBucket(80)], 1);
  assert.equal(a10.histogram.reduce((x, y) => x + y), 1);
});
