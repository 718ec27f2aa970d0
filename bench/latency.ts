/**
 * End to end: a check finishing in the worker → its event in a browser
 * EventSource (headless Chromium), p50 / p99. Single instance on PGlite, and
 * two instances on PostgreSQL with the checks run by A and the browser on B.
 *
 *   deno run -A bench/latency.ts [--monitors 100] [--seconds 30] [--runs 3] [--database-url postgres://…]
 */
import { parseArgs } from "node:util";
import { freshDatabase } from "./_process.ts";
import { loadConfig } from "../core/config.ts";
import { createLogger } from "../core/log.ts";
import { openPostgres } from "../core/db/postgres.ts";
import { TokenService } from "../core/auth/tokens.ts";
import { type RunningServer, startServer } from "../server.ts";
import { launchBrowser } from "../tests/_browser.ts";
import { fmtSpread, machine, quantile } from "./_stats.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    monitors: { type: "string", default: "100" },
    seconds: { type: "string", default: "30" },
    runs: { type: "string", default: "3" },
    "database-url": { type: "string", default: Deno.env.get("BENCH_DATABASE_URL") ?? "" },
    out: { type: "string" },
  },
});
const MONITORS = Number(args.monitors), SECONDS = Number(args.seconds), RUNS = Number(args.runs);
const SECRET = "bench-secret-bench-secret-bench-secret!";
const log = createLogger("error");
const target = Deno.serve(
  { port: 0, hostname: "127.0.0.1", onListen: () => {} },
  () => new Response("ok"),
);
const targetUrl = `http://127.0.0.1:${(target.addr as Deno.NetAddr).port}/`;

async function seed(server: RunningServer): Promise<string> {
  const db = server.deps.db;
  const [{ id }] = await db.query<{ id: number }>(
    "INSERT INTO tenants (name) VALUES ('latency') RETURNING id",
  );
  await db.query(
    `INSERT INTO monitors (tenant_id, name, url, method, interval_seconds, timeout_ms, expected_status,
       ignore_tls_errors, enabled, last_check, next_check_at)
     SELECT $1, 'm' || i, $2, 'GET', 10, 5000, '200-399', false, true, '{}'::jsonb,
       now() + make_interval(secs => 10.0 * i / $3::int)
     FROM generate_series(0, $3::int - 1) AS i`,
    [id, targetUrl, MONITORS],
  );
  // Tokens are good only for a user of the tenant (core/auth/sessions.ts).
  const [{ id: userId }] = await db.query<{ id: string }>(
    "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, $2, 'unused') RETURNING id",
    [id, `bench-${id}@example.test`],
  );
  await db.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
    id,
    userId,
  ]);
  const { token } = await new TokenService(SECRET).issue({ userId, tenantId: id });
  return token;
}

async function measure(viewer: RunningServer, token: string): Promise<number[]> {
  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(`${viewer.url}/login`);
    await page.evaluate((t: string) => {
      const w = globalThis as unknown as { lat: number[] };
      w.lat = [];
      const es = new EventSource(`/api/v1/stream/events?token=${t}`);
      es.addEventListener("monitor_check", (e) => {
        const now = performance.timeOrigin + performance.now();
        const d = JSON.parse((e as MessageEvent).data).data;
        // The worker finished the check at checked_at + its response time.
        w.lat.push(now - (Date.parse(d.checked_at) + d.response_time_ms));
      });
    }, token);
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    return await page.evaluate(() => (globalThis as unknown as { lat: number[] }).lat);
  } finally {
    await close();
  }
}

const config = (extra: Record<string, string>) =>
  loadConfig({
    PORT: "0",
    ALLOW_PRIVATE_TARGETS: "true",
    JWT_SECRET: SECRET,
    LOG_LEVEL: "error",
    ...extra,
  });

const rows: string[] = [];
const single: number[][] = [], double: number[][] = [];
for (let run = 0; run < RUNS; run++) {
  const dataDir = await Deno.makeTempDir({ prefix: "vinsight-latency-" });
  const server = await startServer(config({ DATA_DIR: dataDir }), { hostname: "127.0.0.1", log });
  const lat = await measure(server, await seed(server));
  single.push([quantile(lat, 0.5), quantile(lat, 0.99), lat.length]);
  console.error(
    `single run ${run + 1}: p50 ${quantile(lat, 0.5).toFixed(1)} ms, p99 ${
      quantile(lat, 0.99).toFixed(1)
    } ms (${lat.length} events)`,
  );
  await server.close();
  await Deno.remove(dataDir, { recursive: true });

  if (args["database-url"]) {
    const url = await freshDatabase(args["database-url"]!);
    const a = await startServer(config({ DATABASE_URL: url }), { hostname: "127.0.0.1", log });
    const dbB = await openPostgres(url);
    const b = await startServer(config({ DATABASE_URL: url }), {
      hostname: "127.0.0.1",
      log,
      db: dbB,
      checks: false,
    });
    const token = await seed(a);
    const lat2 = await measure(b, token);
    double.push([quantile(lat2, 0.5), quantile(lat2, 0.99), lat2.length]);
    console.error(
      `two instances run ${run + 1}: p50 ${quantile(lat2, 0.5).toFixed(1)} ms, p99 ${
        quantile(lat2, 0.99).toFixed(1)
      } ms (${lat2.length} events)`,
    );
    await b.close();
    await dbB.close();
    await a.close();
  }
}
await target.shutdown();
rows.push(
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/latency.ts --monitors ${MONITORS} --seconds ${SECONDS} --runs ${RUNS}${
    args["database-url"] ? " --database-url …" : ""
  }`,
  `- Load: ${MONITORS} monitors every 10 s (${
    MONITORS / 10
  } checks/s) against a local target; one Chromium EventSource.`,
  "",
  "| setup | events per run | p50 ms (min / median / max) | p99 ms (min / median / max) |",
  "|---|---:|---:|---:|",
  `| one instance, PGlite | ${single.map((r) => r[2]).join(", ")} | ${
    fmtSpread(single.map((r) => r[0]))
  } | ${fmtSpread(single.map((r) => r[1]))} |`,
);
if (double.length) {
  rows.push(
    `| check on A, browser on B, PostgreSQL | ${double.map((r) => r[2]).join(", ")} | ${
      fmtSpread(double.map((r) => r[0]))
    } | ${fmtSpread(double.map((r) => r[1]))} |`,
  );
}
const out = rows.join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
Deno.exit(0);
