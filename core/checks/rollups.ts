import type { Queryable } from "../db/database.ts";
import type { Check } from "./check.ts";

/** Upper bounds (ms) of the response-time histogram kept in each hourly rollup. */
export const HISTOGRAM_BOUNDS = [
  10,
  25,
  50,
  75,
  100,
  150,
  200,
  300,
  400,
  500,
  750,
  1000,
  1500,
  2000,
  3000,
  5000,
  7500,
  10000,
  15000,
  20000,
  30000,
  45000,
  60000,
  Infinity,
];

/** The histogram bucket (0-based) a response time falls into. */
export function histogramBucket(ms: number): number {
  const i = HISTOGRAM_BOUNDS.findIndex((bound) => ms <= bound);
  return i === -1 ? HISTOGRAM_BOUNDS.length - 1 : i;
}

/**
 * Estimates a percentile (0–1) from histogram counts by linear interpolation
 * within the bucket that holds it; `null` for an empty histogram.
 */
export function percentileFromHistogram(
  counts: readonly number[],
  p: number,
): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    if (seen + counts[i] >= rank) {
      const lo = i === 0 ? 0 : HISTOGRAM_BOUNDS[i - 1];
      const hi = Number.isFinite(HISTOGRAM_BOUNDS[i]) ? HISTOGRAM_BOUNDS[i] : lo * 2;
      return Math.round(lo + ((rank - seen) / counts[i]) * (hi - lo));
    }
    seen += counts[i];
  }
  return HISTOGRAM_BOUNDS[HISTOGRAM_BOUNDS.length - 2];
}

/** The stats windows of API.md, in hours. */
export const STATS_WINDOWS = { "24h": 24, "7d": 168, "30d": 720 } as const;

/** Uptime and response-time stats for a monitor over a window, read from rollups. */
export async function readStats(
  db: Queryable,
  monitorId: string,
  window: keyof typeof STATS_WINDOWS,
): Promise<{
  window: string;
  uptime_percent: number | null;
  checks: number;
  avg_response_time_ms: number | null;
  p95_response_time_ms: number | null;
}> {
  const rows = await db.query<
    {
      checks: number;
      up: number;
      time_sum: number;
      time_count: number;
      histogram: number[];
    }
  >(
    `SELECT checks, up, time_sum, time_count, histogram FROM check_rollups
     WHERE monitor_id = $1 AND hour > now() - make_interval(hours => $2)`,
    [monitorId, STATS_WINDOWS[window]],
  );
  let checks = 0, up = 0, timeSum = 0, timeCount = 0;
  const histogram = new Array<number>(HISTOGRAM_BOUNDS.length).fill(0);
  for (const r of rows) {
    checks += Number(r.checks);
    up += Number(r.up);
    timeSum += Number(r.time_sum);
    timeCount += Number(r.time_count);
    r.histogram.forEach((n, i) => histogram[i] += Number(n));
  }
  return {
    window,
    uptime_percent: checks === 0 ? null : Math.round((up / checks) * 100_000) / 1000,
    checks,
    avg_response_time_ms: timeCount === 0 ? null : Math.round(timeSum / timeCount),
    p95_response_time_ms: percentileFromHistogram(histogram, 0.95),
  };
}

/** One hourly rollup increment of one monitor. */
export interface RollupIncrement {
  monitor_id: string;
  hour: string;
  checks: number;
  up: number;
  time_sum: number;
  time_count: number;
  histogram: number[];
}

/**
 * Groups checks into rollup increments by monitor and hour, so one upsert
 * touches each rollup row once.
 */
export function rollupIncrements(checks: readonly Check[]): RollupIncrement[] {
  const groups = new Map<string, RollupIncrement>();
  for (const c of checks) {
    const hour = new Date(Math.floor(Date.parse(c.checked_at) / 3_600_000) * 3_600_000)
      .toISOString();
    const key = `${c.monitor_id}|${hour}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        monitor_id: c.monitor_id,
        hour,
        checks: 0,
        up: 0,
        time_sum: 0,
        time_count: 0,
        histogram: new Array(HISTOGRAM_BOUNDS.length).fill(0),
      };
      groups.set(key, g);
    }
    g.checks++;
    if (c.success) g.up++;
    if (c.response_time_ms !== null) {
      g.time_sum += c.response_time_ms;
      g.time_count++;
      g.histogram[histogramBucket(c.response_time_ms)]++;
    }
  }
  return [...groups.values()];
}

/** Adds the increments to the hourly rollups inside the caller's transaction. */
export async function addRollups(
  tx: Queryable,
  increments: readonly RollupIncrement[],
): Promise<void> {
  if (increments.length === 0) return;
  await tx.query(
    `INSERT INTO check_rollups AS r (monitor_id, hour, checks, up, time_sum, time_count, histogram)
     SELECT monitor_id, hour, checks, up, time_sum, time_count,
       ARRAY(SELECT jsonb_array_elements_text(histogram)::int)
     FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, hour timestamptz, checks int, up int,
       time_sum bigint, time_count int, histogram jsonb)
     ON CONFLICT (monitor_id, hour) DO UPDATE SET
       checks = r.checks + EXCLUDED.checks,
       up = r.up + EXCLUDED.up,
       time_sum = r.time_sum + EXCLUDED.time_sum,
       time_count = r.time_count + EXCLUDED.time_count,
       histogram = ARRAY(SELECT a + b FROM unnest(r.histogram, EXCLUDED.histogram) AS h(a, b))`,
    [JSON.stringify(increments)],
  );
}
