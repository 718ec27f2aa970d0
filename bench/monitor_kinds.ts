/**
 * Monitor kinds at scale, on PostgreSQL: N monitors at one interval, of one
 * kind at a time (http, tcp, dns, push) and all four mixed, against targets of
 * this process (four HTTP ports, which the tcp monitors connect to, and a DNS
 * server on loopback). Each run is the real server (`bench/check_servers/ours.ts`:
 * scheduler, worker, storage with rules, rollups and events) in its own
 * process. Reports checks/s against the due rate, scheduler lag p50/p99, and
 * the server's CPU per 1,000 checks, per kind.
 *
 *   deno run -A bench/monitor_kinds.ts [--monitors 10000] [--interval 60] [--seconds 40]
 *     [--kinds http,tcp,dns,push,mixed] [--database-url postgres://…]
 */
import { parseArgs } from "node:util";
import { startDnsServer } from "../tests/_dns_server.ts";
import { freshDatabase, inheritProductEnv, jsonLines, productV8Flags } from "./_process.ts";
import { cpuSecondsOf, machine, rssOf } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    monitors: { type: "string", default: "10000" },
    interval: { type: "string", default: "60" },
    seconds: { type: "string", default: "40" },
    kinds: { type: "string", default: "http,tcp,dns,push,mixed" },
    "database-url": {
      type: "string",
      default: Deno.env.get("BENCH_DATABASE_URL") ?? Deno.env.get("TEST_DATABASE_URL") ?? "",
    },
    out: { type: "string" },
  },
});
if (!args["database-url"]) {
  console.error("bench/monitor_kinds.ts needs --database-url (a PostgreSQL admin URL)");
  Deno.exit(2);
}
const MONITORS = Number(args.monitors);
const INTERVAL = Number(args.interval);
const SECONDS = Number(args.seconds);
const KINDS = args.kinds!.split(",");
const root = new URL("..", import.meta.url).pathname;
const V8_FLAGS = await productV8Flags();

const targets = Array.from(
  { length: 4 },
  () =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () => new Response("ok")),
);
const ports = targets.map((t) => (t.addr as Deno.NetAddr).port).join(",");
const dns = await startDnsServer({ "bench.example.test": { A: ["203.0.113.7"] } });

interface Result {
  kind: string;
  checksPerSecond: number;
  lagP50: number;
  lagP99: number;
  cpuPercent: number;
  cpuSecondsPer1000: number;
  rssMb: number;
}

async function runOnce(kind: string): Promise<Result> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=${V8_FLAGS}`,
      `${root}bench/check_servers/ours.ts`,
      ports,
      String(MONITORS),
      String(INTERVAL),
      String(SECONDS),
      await freshDatabase(args["database-url"]!),
    ],
    env: { BENCH_KIND: kind, BENCH_RESOLVER: dns.resolver, DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = jsonLines(child.stdout, kind);
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
  return {
    kind,
    checksPerSecond: report.checksPerSecond,
    lagP50: report.lagP50,
    lagP99: report.lagP99,
    cpuPercent: (cpu / elapsed) * 100,
    cpuSecondsPer1000: (cpu / Math.max(1, report.checksPerSecond * SECONDS)) * 1000,
    rssMb: rssMax / 1e6,
  };
}

const results: Result[] = [];
for (const kind of KINDS) {
  const r = await runOnce(kind);
  results.push(r);
  console.error(
    `${kind.padEnd(6)} ${r.checksPerSecond.toFixed(1)}/${
      (MONITORS / INTERVAL).toFixed(1)
    } checks/s, lag p50 ${r.lagP50.toFixed(3)} s p99 ${r.lagP99.toFixed(3)} s, cpu ${
      r.cpuPercent.toFixed(0)
    }%, ${r.cpuSecondsPer1000.toFixed(2)} cpu-s/1000, rss ${r.rssMb.toFixed(0)} MB`,
  );
}
for (const t of targets) await t.shutdown();
await dns.close();

const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/monitor_kinds.ts --monitors ${MONITORS} --interval ${INTERVAL} --seconds ${SECONDS} --kinds ${
    KINDS.join(",")
  }`,
  `- PostgreSQL 15 on the same machine; one run per kind; targets and the DNS server in the benchmark process.`,
  "",
  "| kind | monitors | due/s | achieved checks/s | lag p50 s | lag p99 s | CPU % (of one core) | CPU-s per 1,000 checks | peak RSS MB |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) =>
    `| ${r.kind} | ${MONITORS} | ${(MONITORS / INTERVAL).toFixed(1)} | ${
      r.checksPerSecond.toFixed(1)
    } | ${r.lagP50.toFixed(3)} | ${r.lagP99.toFixed(3)} | ${r.cpuPercent.toFixed(0)} | ${
      r.cpuSecondsPer1000.toFixed(2)
    } | ${r.rssMb.toFixed(0)} |`
  ),
];
const out = lines.join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
Deno.exit(0);
