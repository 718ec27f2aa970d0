/**
 * V-Insight for the status-page benchmark: the real server on PGlite with one
 * tenant, `<monitors>` HTTP monitors and a published page `bench` showing the
 * first `<components>` of them.
 *
 * Before it is ready it stores `<warm>` check results of another tenant's
 * monitors through the same path, as a running instance has stored many: its
 * statements are prepared and planned, and the code they run (PGlite's
 * WebAssembly, the JavaScript around it) is optimised by V8, before anything
 * is measured (bench/pglite_warm_up.ts).
 *
 * - `viewers` mode: checks off; on `publish <changes/s> <seconds>` each change
 *   is a real check result stored through the product's path
 *   (`storeResults`: checks, rollups, the event log, LISTEN/NOTIFY) that
 *   turns one component up or down, so every viewer is owed one frame.
 * - `memory` mode: as `viewers`, but each change is handed to the public
 *   streams from memory, as the bus would after the write — a diagnostic of
 *   V-Insight's fan-out alone, without the database's part.
 * - `loads` mode: checks on (the worker thread), every monitor checked every
 *   `<interval>` s against `http://127.0.0.1:<target port>/ok`; the first
 *   component's monitor asks `/flaky`, which the driver's target fails every
 *   other time, so the page changes while it is loaded.
 *
 *   deno run -A bench/status_servers/ours.ts <port> <components> <mode> [<monitors> <interval> <target port> <warm>]
 */
import { storeResults } from "../../core/checks/store_results.ts";
import { loadConfig } from "../../core/config.ts";
import { createLogger } from "../../core/log.ts";
import { RateLimiter } from "../../core/rate_limiter.ts";
import { startServer } from "../../server.ts";
import { copyPgliteTemplate } from "../_pglite_template.ts";
import { checkOutcome, storeTurns, tenantWithMonitors } from "../_warm_up.ts";
import { commandLoop, streamRequest } from "./_common.ts";

const [port, components, mode] = [Number(Deno.args[0]), Number(Deno.args[1]), Deno.args[2]];
const monitors = Number(Deno.args[3] ?? components);
const interval = Number(Deno.args[4] ?? 3600);
const targetPort = Number(Deno.args[5] ?? 9);
const warm = Number(Deno.args[6] ?? 0);
const dataDir = await Deno.makeTempDir({ prefix: "vinsight-status-bench-" });
await copyPgliteTemplate(`${dataDir}/pgdata`);
const config = loadConfig({
  ...Deno.env.toObject(),
  PORT: String(port),
  DATA_DIR: dataDir,
  ALLOW_PRIVATE_TARGETS: "true",
  JWT_SECRET: "bench-secret-bench-secret-bench-secret!",
  LOG_LEVEL: "error",
});
const server = await startServer(config, {
  hostname: "127.0.0.1",
  checks: mode === "loads" ? undefined : false,
  log: createLogger("error"),
  limiters: { streamsByAddress: new RateLimiter({ limit: 1e9, windowMs: 1000 }) },
});
const db = server.deps.db;
const [{ id: tenant }] = await db.query<{ id: number }>(
  "INSERT INTO tenants (name) VALUES ('bench') RETURNING id",
);
// Spread evenly over one interval, as on a long-running instance (last_check set: no first-check spreading).
const ids = (await db.query<{ id: string }>(
  `INSERT INTO monitors (tenant_id, name, type, url, method, interval_seconds, timeout_ms,
     expected_status, ignore_tls_errors, enabled, last_check, next_check_at)
   SELECT $1, 'm' || i, 'http',
     'http://127.0.0.1:' || $2::int || CASE WHEN i = 0 THEN '/flaky' ELSE '/ok' END, 'GET',
     $3::int, 10000, '200-399', false, true, '{}'::jsonb,
     now() + make_interval(secs => $3::int::float8 * i / $4::int)
   FROM generate_series(0, $4::int - 1) AS i ORDER BY i RETURNING id`,
  [tenant, targetPort, interval, monitors],
)).map((r) => r.id);
const [page] = await db.query<{ id: string }>(
  "INSERT INTO status_pages (tenant_id, slug, title, description) VALUES ($1, 'bench', 'Bench status', 'Benchmark page') RETURNING id",
  [tenant],
);
await db.query(
  `INSERT INTO status_page_components (page_id, monitor_id, name, group_name, position)
   SELECT $1, m, 'Service ' || n, CASE WHEN n % 2 = 0 THEN 'Core' ELSE 'Edge' END, n
   FROM unnest($2::uuid[]) WITH ORDINALITY AS u(m, n)`,
  [page.id, ids.slice(0, components)],
);
await warmUp(warm);
server.deps.wakeScheduler();
console.log(JSON.stringify({ ready: true, request: streamRequest("bench") }));

/** Stores `n` results of another tenant's monitors (its event ids apart from the page's). */
async function warmUp(n: number) {
  if (n > 0) await storeTurns(db, await tenantWithMonitors(db, "warm-up"), n);
}

const up = ids.slice(0, components).map(() => false);
let nextId = 1_000_000;
await commandLoop(async (n) => {
  const i = n % components;
  up[i] = !up[i];
  if (mode === "memory") {
    server.deps.publicStreams.publish({
      id: nextId++,
      tenant_id: tenant,
      type: "monitor_check",
      data: {
        monitor_id: ids[i],
        monitor_name: `m${i}`,
        success: up[i],
        status_code: up[i] ? 200 : 503,
        response_time_ms: 40,
        error_message: null,
        ssl_valid: null,
        ssl_expires_at: null,
        checked_at: new Date().toISOString(),
      },
    });
    return;
  }
  await storeResults(db, [checkOutcome(ids[i], up[i])]);
}, async () => (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM checks"))[0].n);
await server.close();
await Deno.remove(dataDir, { recursive: true }).catch(() => {});
Deno.exit(0);
