import assert from "node:assert/strict";
import { HISTOGRAM_BOUNDS, histogramBucket, percentileFromHistogram } from "./rollups.ts";

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
