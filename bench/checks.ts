/**
 * Checks: N monitors with a short interval against local targets (several
 * ports, served by this process), on PGlite and on PostgreSQL, and the floor:
 * a bare fetch loop at the same concurrency. Reports achieved checks/s against
 * the due rate, scheduler lag p50/p99, CPU and memory of the server process.
 *
 *   deno run -A bench/checks.ts [--monitors 1000,10000,30000] [--interval 60] [--seconds 60] [--runs 3]
 *     [--backends pglite,postgres,floor] [--database-url postgres://…]
 */
import { parseArgs } from "node:util";
import { freshDatabase, inheritProductEnv, jsonLines, productV8Flags } from "./_process.ts";
import { cpuSecondsOf, fmtSpread, machine, rssOf, spread } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    monitors: { type: "string", default: "1000,10000,30000" },
    interval: { type: "string", default: "60" },
    seconds: { type: "string", default: "60" },
    runs: { type: "string", default: "3" },
    backends: { type: "string", default: "pglite,postgres,floor" },
    "database-url": { type: "string", default: Deno.env.get("BENCH_DATABASE_URL") ?? "" },
    /** V-Insight's V8 flags; the product's (deno.json's start task) unless given. */
    "v8-flags": { type: "string" },
    out: { type: "string" },
  },
});
const MONITORS = args.monitors!.split(",").map(Number);
const INTERVAL = Number(args.interval);
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const root = new URL("..", import.meta.url).pathname;
const V8_FLAGS = args["v8-flags"] ?? await productV8Flags();

// Targets: four ports in this process, so one socket accept loop is not the bottleneck.
const targets = Array.from(
  { length: 4 },
  () =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => new Response("ok")),
);
const ports = targets.map((t) => (t.addr as Deno.NetAddr).port).join(",");

interface Result {
  checksPerSecond: number;
  dueRate: number;
  lagP50: number;
  lagP99: number;
  cpuPercent: number;
  cpuSecondsPer1000: number;
  rssMb: number;
}

async function runOnce(backend: string, monitors: number): Promise<Result> {
  const script = backend === "floor" ? "floor" : "ours";
  const extra = backend === "postgres" ? [await freshDatabase(args["database-url"]!)] : [];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(script === "ours" ? [`--v8-flags=${V8_FLAGS}`] : []),
      `${root}bench/check_servers/${script}.ts`,
      ports,
      String(monitors),
      String(INTERVAL),
      String(SECONDS),
      ...extra,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = jsonLines(child.stdout, backend);
  const { pid } = await next() as { pid: number };
  const cpu0 = cpuSecondsOf(pid);
  const t0 = performance.now();
  let rssMax = 0;
  const sampler = setInterval(() => {
    try {
      rssMax = Math.max(rssMax, rssOf(pid));
    } catch {
      // exited
    }
  }, 500);
  const report = await next();
  const cpu = cpuSecondsOf(pid) - cpu0;
  const elapsed = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await child.status;
  const checks = report.checksPerSecond * SECONDS;
  return {
    checksPerSecond: report.checksPerSecond,
    dueRate: monitors / INTERVAL,
    lagP50: report.lagP50,
    lagP99: report.lagP99,
    cpuPercent: (cpu / elapsed) * 100,
    cpuSecondsPer1000: (cpu / Math.max(1, checks)) * 1000,
    rssMb: rssMax / 1e6,
  };
}

const backends = args.backends!.split(",").filter((b) => b !== "postgres" || args["database-url"]);
const results = new Map<string, Result[]>();
for (const monitors of MONITORS) {
  for (let run = 0; run < RUNS; run++) {
    for (const backend of backends) {
      const r = await runOnce(backend, monitors);
      const key = `${backend}|${monitors}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      console.error(
        `${backend.padEnd(8)} ${String(monitors).padStart(6)} monitors run ${run + 1}: ${
          r.checksPerSecond.toFixed(1)
        }/${r.dueRate.toFixed(1)} checks/s, lag p50 ${r.lagP50.toFixed(3)} s p99 ${
          r.lagP99.toFixed(3)
        } s, cpu ${r.cpuPercent.toFixed(0)}%, ${r.cpuSecondsPer1000.toFixed(2)} cpu-s/1000, rss ${
          r.rssMb.toFixed(0)
        } MB`,
      );
    }
  }
}
for (const t of targets) await t.shutdown();

const NAMES: Record<string, string> = {
  pglite: "V-Insight (PGlite)",
  postgres: "V-Insight (PostgreSQL)",
  floor: "floor: bare fetch loop",
};
const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/checks.ts --monitors ${
    MONITORS.join(",")
  } --interval ${INTERVAL} --seconds ${SECONDS} --runs ${RUNS} --backends ${backends.join(",")}${
    args["v8-flags"] ? ` --v8-flags=${args["v8-flags"]}` : ""
  }`,
  `- Targets: 4 local HTTP ports served by the benchmark process; a new connection per check; CHECK_CONCURRENCY=200.`,
  "",
  "| system | monitors | due/s | achieved checks/s | lag p50 s | lag p99 s | CPU % (of one core) | CPU-s per 1,000 checks | peak RSS MB |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const monitors of MONITORS) {
  for (const backend of backends) {
    const rs = results.get(`${backend}|${monitors}`)!;
    lines.push(
      `| ${NAMES[backend]} | ${monitors} | ${(monitors / INTERVAL).toFixed(1)} | ${
        fmtSpread(rs.map((r) => r.checksPerSecond))
      } | ${fmtSpread(rs.map((r) => r.lagP50), 3)} | ${fmtSpread(rs.map((r) => r.lagP99), 3)} | ${
        fmtSpread(rs.map((r) => r.cpuPercent), 0)
      } | ${fmtSpread(rs.map((r) => r.cpuSecondsPer1000), 2)} | ${
        fmtSpread(rs.map((r) => r.rssMb), 0)
      } |`,
    );
  }
}
if (backends.includes("floor")) {
  lines.push("", "CPU per check, V-Insight ÷ floor (medians):", "");
  for (const monitors of MONITORS) {
    const floor = spread(results.get(`floor|${monitors}`)!.map((r) => r.cpuSecondsPer1000)).median;
    for (const b of backends.filter((b) => b !== "floor")) {
      const ours = spread(results.get(`${b}|${monitors}`)!.map((r) => r.cpuSecondsPer1000)).median;
      lines.push(`- ${monitors} monitors, ${NAMES[b]}: ${(ours / floor).toFixed(1)}×`);
    }
  }
}
const out = lines.join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
