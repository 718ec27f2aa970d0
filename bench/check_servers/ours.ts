/**
 * V-Insight's check path for the checks benchmark: the real server (scheduler,
 * worker thread, result storage with rules, rollups and events) with N
 * monitors spread evenly over their interval, pointed at local targets.
 * The monitors are created by a child run of this script (`BENCH_SETUP_DIR`); this
 * process then starts on that database, warms up for 5 s, prints
 * `{"started":true}`, and after the window one JSON line with what it
 * measured, then exits.
 *
 *   deno run -A bench/check_servers/ours.ts <ports> <monitors> <interval s> <seconds> [postgres url]
 */
import { loadConfig } from "../../core/config.ts";
import { createLogger } from "../../core/log.ts";
import { startServer } from "../../server.ts";
import { quantile } from "../_stats.ts";

const [portsCsv, monitorsText, intervalText, secondsText, databaseUrl] = Deno.args;
/** Set for the set-up child: the data directory to create the monitors in. */
const setupDir = Deno.env.get("BENCH_SETUP_DIR");
const ports = portsCsv.split(",").map(Number);
const [monitors, interval, seconds] = [
  Number(monitorsText),
  Number(intervalText),
  Number(secondsText),
];
const dataDir = setupDir ?? await Deno.makeTempDir({ prefix: "vinsight-checks-bench-" });
const config = loadConfig({
  PORT: "0",
  DATA_DIR: dataDir,
  DATABASE_URL: databaseUrl ?? "",
  ALLOW_PRIVATE_TARGETS: "true",
  CHECK_CONCURRENCY: Deno.env.get("CHECK_CONCURRENCY") ?? "200",
  JWT_SECRET: "bench-secret-bench-secret-bench-secret!",
  LOG_LEVEL: "error",
});
const log = createLogger("error");
const WARM_UP_MS = 5000;

if (setupDir === undefined) {
  // The monitors are created by a separate process, so this one starts as a long-running
  // instance restarts: on an existing database, without the set-up's garbage.
  const made = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", import.meta.filename!, ...Deno.args],
    env: { BENCH_SETUP_DIR: dataDir },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!made.success) throw new Error("set-up failed");
  await measure();
  await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  Deno.exit(0);
}

const server = await startServer(config, { hostname: "127.0.0.1", log, checks: false });
const db = server.deps.db;
const [{ id: tenant }] = await db.query<{ id: number }>(
  "INSERT INTO tenants (name) VALUES ('bench') RETURNING id",
);
// Evenly spread over one interval, as a long-running instance would be; last_check set so the
// first-check spreading does not apply.
// BENCH_KIND picks the monitor kind (http, tcp, dns, push, or mixed: the four in turn);
// dns monitors ask BENCH_RESOLVER, a DNS server of the benchmark process.
await db.query(
  `INSERT INTO monitors (tenant_id, name, type, url, method, interval_seconds, timeout_ms,
     expected_status, keyword, ignore_tls_errors, host, port, hostname, record_type, resolver,
     grace_seconds, push_token, enabled, last_check, next_check_at)
   SELECT $1, 'm' || i, k.kind,
     CASE WHEN k.kind = 'http' THEN 'http://127.0.0.1:' || k.port || '/ok' END,
     CASE WHEN k.kind = 'http' THEN 'GET' END, $3::int, 10000,
     CASE WHEN k.kind = 'http' THEN '200-399' END, NULL, CASE WHEN k.kind = 'http' THEN false END,
     CASE WHEN k.kind = 'tcp' THEN '127.0.0.1' END, CASE WHEN k.kind = 'tcp' THEN k.port END,
     CASE WHEN k.kind = 'dns' THEN 'bench.example.test' END, CASE WHEN k.kind = 'dns' THEN 'A' END,
     CASE WHEN k.kind = 'dns' THEN $6 END, 0,
     CASE WHEN k.kind = 'push' THEN 'bench-push-token-' || i END,
     true, '{}'::jsonb, now() + make_interval(secs => $3::int::float8 * i / $4::int)
   FROM generate_series(0, $4::int - 1) AS i,
     LATERAL (SELECT CASE WHEN $5 = 'mixed' THEN (ARRAY['http', 'tcp', 'dns', 'push'])[1 + i % 4]
       ELSE $5 END AS kind, ($2::int[])[1 + i % array_length($2::int[], 1)] AS port) k`,
  [
    tenant,
    `{${ports.join(",")}}`,
    interval,
    monitors,
    Deno.env.get("BENCH_KIND") ?? "http",
    Deno.env.get("BENCH_RESOLVER") ?? null,
  ],
);
await db.query(
  'INSERT INTO alert_rules (tenant_id, name, condition) VALUES ($1, \'down\', \'{"type":"consecutive_failures","count":3}\')',
  [tenant],
);
await server.close();
Deno.exit(0);

/** Runs with checks on for the window and prints what it measured. */
async function measure() {
  const running = await startServer(config, { hostname: "127.0.0.1", log });
  // Warm-up: the monitors that fell due while this process started are claimed late once;
  // the window measures the steady state that follows.
  await new Promise((r) => setTimeout(r, WARM_UP_MS));
  running.checks!.lagSamples.length = 0;
  console.log(JSON.stringify({ pid: Deno.pid, started: true }));
  const [{ n: before }] = await running.deps.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM checks",
  );
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const [{ n: after }] = await running.deps.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM checks",
  );
  const elapsed = (performance.now() - t0) / 1000;
  const lags = running.checks!.lagSamples.slice();
  const [{ n: events }] = await running.deps.db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM events",
  );
  console.log(JSON.stringify({
    checksPerSecond: (after - before) / elapsed,
    lagP50: quantile(lags, 0.5),
    lagP99: quantile(lags, 0.99),
    stored: after,
    events,
  }));
  await running.close();
}
