/**
 * Dashboard at scale: a tenant with 10,000 monitors. Server render time of
 * /domains, first contentful paint and hydration in headless Chromium, and the
 * time from a `monitor_check` event to the row's update in the DOM while 100
 * events per second arrive.
 *
 *   deno run -A bench/dashboard.ts [--monitors 10000] [--rate 100] [--seconds 10] [--runs 3]
 */
import { parseArgs } from "node:util";
import { TokenService } from "../core/auth/tokens.ts";
import { loadConfig } from "../core/config.ts";
import { appendEvents } from "../core/events/append_events.ts";
import { createLogger } from "../core/log.ts";
import { startServer } from "../server.ts";
import { ensureBundle, launchBrowser } from "../tests/_browser.ts";
import { copyPgliteTemplate } from "./_pglite_template.ts";
import { fmtSpread, machine, quantile } from "./_stats.ts";

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    monitors: { type: "string", default: "10000" },
    rate: { type: "string", default: "100" },
    seconds: { type: "string", default: "10" },
    runs: { type: "string", default: "3" },
    out: { type: "string" },
  },
});
const MONITORS = Number(args.monitors), RATE = Number(args.rate), SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const SECRET = "bench-secret-bench-secret-bench-secret!";
await ensureBundle();

interface Run {
  renderMs: number[];
  htmlKb: number;
  fcpMs: number;
  hydratedMs: number;
  domP50: number;
  domP99: number;
  updates: number;
  published: number;
}

async function runOnce(): Promise<Run> {
  const dataDir = await Deno.makeTempDir({ prefix: "vinsight-dash-" });
  await copyPgliteTemplate(`${dataDir}/pgdata`);
  const config = loadConfig({
    PORT: "0",
    DATA_DIR: dataDir,
    JWT_SECRET: SECRET,
    LOG_LEVEL: "error",
  });
  const server = await startServer(config, {
    hostname: "127.0.0.1",
    log: createLogger("error"),
    checks: false,
  });
  const db = server.deps.db;
  const [{ id: tenant }] = await db.query<{ id: number }>(
    "INSERT INTO tenants (name) VALUES ('Big Co') RETURNING id",
  );
  const [{ id: userId }] = await db.query<{ id: string }>(
    "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, 'big@example.test', 'x') RETURNING id",
    [tenant],
  );
  // Tokens are good only for a member of the tenant (core/auth/sessions.ts).
  await db.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
    tenant,
    userId,
  ]);
  await db.query(
    `INSERT INTO monitors (tenant_id, name, url, method, interval_seconds, timeout_ms, expected_status,
       ignore_tls_errors, enabled, status, last_check, next_check_at)
     SELECT $1, 'Site ' || i, 'https://site' || i || '.example.com/health', 'GET', 60, 10000, '200-399',
       false, true, CASE WHEN i % 50 = 0 THEN 'down' ELSE 'up' END,
       jsonb_build_object('monitor_id', NULL, 'success', i % 50 <> 0, 'status_code', CASE WHEN i % 50 = 0 THEN 503 ELSE 200 END,
         'response_time_ms', 80 + i % 300, 'error_message', CASE WHEN i % 50 = 0 THEN 'Unexpected status 503 (expected 200-399)' END,
         'ssl_valid', true, 'ssl_expires_at', now() + make_interval(days => 20 + i % 60), 'checked_at', now()),
       now() + interval '1 day'
     FROM generate_series(1, $2::int) AS i`,
    [tenant, MONITORS],
  );
  const ids = (await db.query<{ id: string }>(
    "SELECT id FROM monitors WHERE tenant_id = $1 ORDER BY created_at, id LIMIT 50", // the first rows shown
    [tenant],
  )).map((
    r,
  ) => r.id);
  const { token } = await new TokenService(SECRET).issue({ userId, tenantId: tenant });

  const renderMs: number[] = [];
  let htmlKb = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/domains`, {
      headers: { cookie: `vi_session=${token}` },
    });
    const html = await res.text();
    renderMs.push(performance.now() - t0);
    htmlKb = html.length / 1024;
  }

  const { browser, close } = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setCookie({ name: "vi_session", value: token, url: server.url });
    const t0 = Date.now();
    await page.goto(`${server.url}/domains`, { waitUntil: "domcontentloaded", timeout: 120_000 });
    await page.waitForSelector("[data-connection=connected]", { timeout: 120_000 });
    const hydratedMs = Date.now() - t0;
    const fcpMs = await page.evaluate(() =>
      performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN
    );
    await page.evaluate(() => {
      const w = globalThis as unknown as { seen: [number, number][] };
      w.seen = [];
      new MutationObserver((records) => {
        const now = performance.timeOrigin + performance.now();
        for (const r of records) {
          const cell = (r.target.nodeType === 3 ? r.target.parentElement : r.target) as
            | HTMLElement
            | null;
          const td = cell?.closest?.("td[data-field=response]");
          const m = td && /^(\d{6,}) ms$/.exec(td.textContent ?? "");
          if (m) w.seen.push([Number(m[1]), now]);
        }
      }).observe(document.querySelector("tbody")!, {
        subtree: true,
        characterData: true,
        childList: true,
      });
    });
    // Publish RATE events per second through the real path (event log → NOTIFY → hub → stream).
    const sentAt = new Map<number, number>();
    const start = performance.now();
    let marker = 100_000;
    for (let i = 0; i < RATE * SECONDS; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const value = marker++;
      const monitorId = ids[Math.floor(Math.random() * 50)]; // rows near the top, in the viewport
      sentAt.set(value, performance.timeOrigin + performance.now());
      await db.transaction((tx) =>
        appendEvents(tx, [{
          tenantId: tenant,
          event: {
            type: "monitor_check",
            data: {
              monitor_id: monitorId,
              monitor_name: "Site",
              success: true,
              status_code: 200,
              response_time_ms: value,
              error_message: null,
              ssl_valid: true,
              ssl_expires_at: null,
              checked_at: new Date().toISOString(),
            },
          },
        }])
      );
    }
    await new Promise((r) => setTimeout(r, 1000));
    const seen = await page.evaluate(() =>
      (globalThis as unknown as { seen: [number, number][] }).seen
    );
    const first = new Map<number, number>();
    for (const [value, at] of seen) if (!first.has(value)) first.set(value, at);
    const lat = [...first].map(([value, at]) => at - sentAt.get(value)!).filter((x) =>
      Number.isFinite(x)
    );
    return {
      renderMs,
      htmlKb,
      fcpMs,
      hydratedMs,
      domP50: quantile(lat, 0.5),
      domP99: quantile(lat, 0.99),
      updates: first.size,
      published: sentAt.size,
    };
  } finally {
    await close();
    await server.close();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

const runs: Run[] = [];
for (let i = 0; i < RUNS; i++) {
  const r = await runOnce();
  runs.push(r);
  console.error(
    `run ${i + 1}: render ${quantile(r.renderMs, 0.5).toFixed(0)} ms (${
      r.htmlKb.toFixed(0)
    } KB), FCP ${r.fcpMs.toFixed(0)} ms, hydrated ${r.hydratedMs} ms, event→DOM p50 ${
      r.domP50.toFixed(1)
    } p99 ${r.domP99.toFixed(1)} ms (${r.updates}/${r.published} rows updated)`,
  );
}
const out = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/dashboard.ts --monitors ${MONITORS} --rate ${RATE} --seconds ${SECONDS} --runs ${RUNS}`,
  `- Load: one tenant with ${MONITORS} monitors; ${RATE} monitor_check events/s through the event log for ${SECONDS} s; headless Chromium 1280×900.`,
  "",
  "| measure | min / median / max |",
  "|---|---:|",
  `| /domains server render + transfer (ms, median of 5) | ${
    fmtSpread(runs.map((r) => quantile(r.renderMs, 0.5)), 0)
  } |`,
  `| /domains HTML size (KB) | ${fmtSpread(runs.map((r) => r.htmlKb), 0)} |`,
  `| first contentful paint (ms) | ${fmtSpread(runs.map((r) => r.fcpMs), 0)} |`,
  `| hydrated and live (ms from navigation) | ${fmtSpread(runs.map((r) => r.hydratedMs), 0)} |`,
  `| event → row updated in the DOM, p50 (ms) | ${fmtSpread(runs.map((r) => r.domP50))} |`,
  `| event → row updated in the DOM, p99 (ms) | ${fmtSpread(runs.map((r) => r.domP99))} |`,
  `| rows updated / events published | ${
    runs.map((r) => `${r.updates}/${r.published}`).join(", ")
  } |`,
].join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
Deno.exit(0);
