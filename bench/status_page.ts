/**
 * Status pages under load, for V-Insight (PGlite) and the floor (bare
 * `Deno.serve`, bench/status_servers/floor.ts) in the same run:
 *
 * - viewers: N concurrent viewers of one page's public event stream; each
 *   change turns one component up or down through the product's check path;
 *   publish → receive latency at the viewers, deliveries, server CPU and
 *   memory per viewer (one Node.js load client, bench/sse_client.mjs --iso).
 * - reconnect: N viewers come back at once (after a restart, say) with a
 *   Last-Event-ID before the page's last `--replayed` changes: time until
 *   every one has them all, and server CPU; the floor replays from memory.
 * - loads: the page's HTML requested at a fixed rate (open loop,
 *   bench/http_load.mjs) while the server checks M monitors every I s
 *   against local targets; the floor answers the same bytes from memory.
 *
 * V-Insight first stores `--warm` check results of another tenant, as a
 * running instance has stored many before an outage draws a crowd (0: a server
 * measured cold, its statements planned and the code they run optimised by V8
 * while the viewers are served; bench/pglite_warm_up.ts).
 *
 * V-Insight runs on PGlite and, with `--database-url` (or BENCH_DATABASE_URL),
 * on PostgreSQL too (a fresh database per run; the PostgreSQL processes' CPU
 * is reported beside the server's).
 *
 *   deno run -A bench/status_page.ts [--viewers 10000] [--runs 3] [--seconds 10] [--rate 4]
 *     [--loads 1000] [--monitors 1000] [--interval 10] [--replayed 10] [--warm 2000] [--parts viewers,reconnect,loads]
 *     [--database-url postgres://…] [--v8-flags …] [--systems pglite,postgres,memory,ballast,floor]
 *     [--ballast 250000]
 */
import { parseArgs } from "node:util";
import {
  freshDatabase,
  inheritProductEnv,
  jsonLines,
  productV8Flags,
  spawnSseClient,
} from "./_process.ts";
import { cpuSecondsOf, fmtSpread, machine, rssOf, spread } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    viewers: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "10" },
    rate: { type: "string", default: "4" },
    components: { type: "string", default: "10" },
    loads: { type: "string", default: "1000" },
    monitors: { type: "string", default: "1000" },
    interval: { type: "string", default: "10" },
    replayed: { type: "string", default: "10" },
    /**
     * Check results V-Insight stores (another tenant's) before it is measured,
     * as a running instance has: its statements planned and the code they run optimised.
     * @default 2000
     */
    warm: { type: "string", default: "2000" },
    parts: { type: "string", default: "viewers,reconnect,loads" },
    "database-url": { type: "string", default: Deno.env.get("BENCH_DATABASE_URL") ?? "" },
    "v8-flags": { type: "string" },
    /**
     * Which to run: pglite, postgres, floor, `memory` (V-Insight on PGlite whose changes
     * reach the public streams from memory: its fan-out without the write) and `ballast` (the
     * floor holding `--ballast` small live objects: its heap the size of a real program's).
     * @default pglite,postgres,floor
     */
    systems: { type: "string" },
    ballast: { type: "string", default: "250000" },
    out: { type: "string" },
  },
});
const VIEWERS = Number(args.viewers);
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const COMPONENTS = Number(args.components);
const LOADS = Number(args.loads);
const MONITORS = Number(args.monitors);
const INTERVAL = Number(args.interval);
const REPLAYED = Number(args.replayed);
const WARM = Number(args.warm);
const PARTS = args.parts!.split(",");
/** The systems measured: V-Insight on each database, then the floor. */
const KINDS = args.systems
  ? args.systems.split(",")
  : ["pglite", ...(args["database-url"] ? ["postgres"] : []), "floor"];
const root = new URL("..", import.meta.url).pathname;
/** Both servers run with the product's V8 flags unless told otherwise. */
const V8_FLAGS = args["v8-flags"] ?? await productV8Flags();
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The checks' targets live here, not in the measured server: `/ok` answers 200, `/flaky`
// fails every other time (the page's first component changes while it is loaded).
let flaky = 0;
const target = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
  if (new URL(req.url).pathname === "/flaky") {
    return new Response("flaky", { status: flaky++ % 2 ? 503 : 200 });
  }
  return new Response("ok");
});
const targetPort = (target.addr as Deno.NetAddr).port;
const htmlFile = await Deno.makeTempFile({ prefix: "vinsight-status-page-", suffix: ".html" });

/** CPU seconds used so far by every PostgreSQL process on this machine (the database's share). */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      if (Deno.readTextFileSync(`/proc/${entry.name}/comm`).trim() !== "postgres") continue;
      total += cpuSecondsOf(Number(entry.name));
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

interface Spawned {
  child: Deno.ChildProcess;
  request: string;
  send(line: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function spawnServer(kind: string, port: number, mode: string): Promise<Spawned> {
  const ours = kind !== "floor" && kind !== "ballast";
  const databaseUrl = kind === "postgres" ? await freshDatabase(args["database-url"]!) : "";
  const serverArgs = ours
    ? [
      String(port),
      String(COMPONENTS),
      mode,
      String(MONITORS),
      String(INTERVAL),
      String(targetPort),
      String(WARM),
    ]
    : [String(port), String(COMPONENTS), htmlFile, kind === "ballast" ? args.ballast! : "0"];
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=--expose-gc,${V8_FLAGS}`,
      `${root}bench/status_servers/${ours ? "ours" : "floor"}.ts`,
      ...serverArgs,
    ],
    env: { DENO_NO_UPDATE_CHECK: "1", DATABASE_URL: databaseUrl },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = jsonLines(child.stdout, `${kind} server`);
  const writer = child.stdin.getWriter();
  const ready = await next();
  return {
    child,
    request: ready.request as string,
    async send(line) {
      await writer.write(new TextEncoder().encode(line + "\n"));
      return await next();
    },
    async stop() {
      await writer.close().catch(() => {});
      try {
        child.kill("SIGTERM");
      } catch {
        // gone
      }
      await child.status;
    },
  };
}

interface ViewersResult {
  delivered: number;
  /** Median over the changes of publish → the first viewer reached (the fan-out's start). */
  first: number;
  p50: number;
  p99: number;
  max: number;
  kbPerViewer: number;
  cpuPercent: number;
  dbCpuPercent: number;
}

async function viewersOnce(kind: string, port: number): Promise<ViewersResult> {
  const server = await spawnServer(kind, port, kind === "memory" ? "memory" : "viewers");
  const pid = server.child.pid;
  await pause(1000);
  const client = spawnSseClient(["--iso"]);
  // Memory per viewer: the slope between half and all of them (start-up garbage excluded).
  const half = Math.floor(VIEWERS / 2);
  await client.connect(port, [server.request], new Array(half).fill(0));
  await pause(1500);
  await server.send("gc");
  const rssHalf = rssOf(pid);
  await client.connect(port, [server.request], new Array(VIEWERS - half).fill(0));
  await pause(1500);
  await server.send("gc");
  const rssAll = rssOf(pid);
  const cpuBefore = cpuSecondsOf(pid);
  const dbCpuBefore = postgresCpuSeconds();
  const started = performance.now();
  const done = await server.send(`publish ${RATE} ${SECONDS}`) as { done: number };
  const expected = done.done * VIEWERS;
  const deadline = performance.now() + 10_000;
  let count = await client.count();
  while (count.received < expected && performance.now() < deadline) {
    await pause(100);
    count = await client.count();
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  const dbCpu = kind === "postgres" ? postgresCpuSeconds() - dbCpuBefore : 0;
  const stats = await client.stats();
  await client.close();
  await server.stop();
  return {
    delivered: stats.received / expected,
    first: stats.first,
    p50: stats.p50,
    p99: stats.p99,
    max: stats.max,
    kbPerViewer: (rssAll - rssHalf) / (VIEWERS - half) / 1024,
    cpuPercent: (cpu / elapsed) * 100,
    dbCpuPercent: (dbCpu / elapsed) * 100,
  };
}

interface ReconnectResult {
  delivered: number;
  seconds: number;
  cpuSeconds: number;
  dbCpuSeconds: number;
}

async function reconnectOnce(kind: string, port: number): Promise<ReconnectResult> {
  const server = await spawnServer(kind, port, "viewers");
  const pid = server.child.pid;
  await pause(1000);
  // The changes the viewers missed: event ids 1…REPLAYED (the page's only events so far).
  await server.send(`publish ${REPLAYED} 1`);
  await server.send("gc");
  const client = spawnSseClient(["--iso"]);
  const comeBack = server.request.replace(/\r\n\r\n$/, "\r\nLast-Event-ID: 0\r\n\r\n");
  const expected = VIEWERS * REPLAYED;
  const cpuBefore = cpuSecondsOf(pid);
  const dbCpuBefore = postgresCpuSeconds();
  const started = performance.now();
  await client.connect(port, [comeBack], new Array(VIEWERS).fill(0));
  const deadline = performance.now() + 60_000;
  let count = await client.count();
  while (count.received < expected && performance.now() < deadline) {
    await pause(20);
    count = await client.count();
  }
  const seconds = (performance.now() - started) / 1000;
  const result = {
    delivered: count.received / expected,
    seconds,
    cpuSeconds: cpuSecondsOf(pid) - cpuBefore,
    dbCpuSeconds: kind === "postgres" ? postgresCpuSeconds() - dbCpuBefore : 0,
  };
  await client.close();
  await server.stop();
  return result;
}

interface LoadsResult {
  ok: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
  kb: number;
  cpuPercent: number;
  dbCpuPercent: number;
  checksPerSecond: number;
}

async function loadsOnce(kind: string, port: number): Promise<LoadsResult> {
  const server = await spawnServer(kind, port, "loads");
  const pid = server.child.pid;
  const url = `http://127.0.0.1:${port}/status/bench`;
  if (kind !== "floor") {
    await pause(5000); // warm-up: the first round of checks
    await Deno.writeTextFile(htmlFile, await (await fetch(url)).text());
  } else await pause(1000);
  const checksBefore = (await server.send("count")).checks as number;
  const cpuBefore = cpuSecondsOf(pid);
  const dbCpuBefore = postgresCpuSeconds();
  const started = performance.now();
  const out = await new Deno.Command("node", {
    args: [`${root}bench/http_load.mjs`, url, String(LOADS), String(SECONDS)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  const dbCpu = kind === "postgres" ? postgresCpuSeconds() - dbCpuBefore : 0;
  const checksAfter = (await server.send("count")).checks as number;
  await server.stop();
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  return {
    ok: r.ok,
    failed: r.failed,
    p50: r.p50,
    p99: r.p99,
    max: r.max,
    kb: r.bytes / 1024,
    cpuPercent: (cpu / elapsed) * 100,
    dbCpuPercent: (dbCpu / elapsed) * 100,
    checksPerSecond: (checksAfter - checksBefore) / elapsed,
  };
}

const NAMES: Record<string, string> = {
  pglite: "V-Insight (PGlite)",
  postgres: "V-Insight (PostgreSQL)",
  memory: "V-Insight, changes from memory (diagnostic)",
  ballast: `floor + ${Number(args.ballast).toLocaleString("en")} live objects (diagnostic)`,
  floor: "floor: bare Deno.serve",
};
const m = <T>(rs: T[], f: (r: T) => number) => spread(rs.map(f)).median;
const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/status_page.ts --viewers ${VIEWERS} --runs ${RUNS} --seconds ${SECONDS} --rate ${RATE} --loads ${LOADS} --monitors ${MONITORS} --interval ${INTERVAL} --replayed ${REPLAYED} --warm ${WARM} --parts ${
    PARTS.join(",")
  }${args["database-url"] ? " --database-url …" : ""}${
    args["v8-flags"] ? ` --v8-flags=${args["v8-flags"]}` : ""
  }${args.systems ? ` --systems ${args.systems}` : ""}${
    KINDS.includes("ballast") ? ` --ballast ${args.ballast}` : ""
  }`,
];
let port = 23000 + Math.floor(Math.random() * 1000);

/** Runs `once` RUNS times for every system (interleaved, a fresh port each), logging each run. */
async function everyRun<T>(
  part: string,
  once: (kind: string, port: number) => Promise<T>,
  describe: (r: T) => string,
): Promise<Map<string, T[]>> {
  const results = new Map<string, T[]>();
  for (let run = 0; run < RUNS; run++) {
    for (const kind of KINDS) {
      const r = await once(kind, port++);
      results.set(kind, [...(results.get(kind) ?? []), r]);
      console.error(`${part} ${kind} run ${run + 1}: ${describe(r)}`);
    }
  }
  return results;
}

// The HTML the floor serves is the product's: the loads part runs ours first.
if (PARTS.includes("loads")) {
  const results = await everyRun(
    "loads",
    loadsOnce,
    (r) =>
      `${r.ok} ok, ${r.failed} failed, p50 ${r.p50.toFixed(1)} ms, p99 ${
        r.p99.toFixed(1)
      } ms, cpu ${r.cpuPercent.toFixed(0)}%, checks ${r.checksPerSecond.toFixed(0)}/s`,
  );
  lines.push(
    "",
    `Page loads: GET /status/bench (${COMPONENTS} components, 90-day bars) at ${LOADS}/s for ${SECONDS} s, open loop over 64 keep-alive connections; V-Insight checks ${MONITORS} monitors every ${INTERVAL} s meanwhile.`,
    "",
    "| server | answered 200 | failed | p50 ms | p99 ms | max ms | KB/page | server CPU % | PostgreSQL CPU % | checks/s meanwhile |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const kind of KINDS) {
    const rs = results.get(kind)!;
    lines.push(
      `| ${NAMES[kind]} | ${fmtSpread(rs.map((r) => r.ok), 0)} | ${
        fmtSpread(rs.map((r) => r.failed), 0)
      } | ${fmtSpread(rs.map((r) => r.p50))} | ${fmtSpread(rs.map((r) => r.p99))} | ${
        fmtSpread(rs.map((r) => r.max))
      } | ${fmtSpread(rs.map((r) => r.kb))} | ${fmtSpread(rs.map((r) => r.cpuPercent), 0)} | ${
        kind === "postgres" ? fmtSpread(rs.map((r) => r.dbCpuPercent), 0) : "–"
      } | ${fmtSpread(rs.map((r) => r.checksPerSecond), 0)} |`,
    );
  }
}

if (PARTS.includes("reconnect")) {
  const results = await everyRun(
    "reconnect",
    reconnectOnce,
    (r) =>
      `delivered ${(r.delivered * 100).toFixed(2)}%, all in ${r.seconds.toFixed(2)} s, cpu ${
        r.cpuSeconds.toFixed(2)
      } s`,
  );
  lines.push(
    "",
    `Reconnect: ${VIEWERS} viewers come back at once with a Last-Event-ID before the page's last ${REPLAYED} changes (${
      VIEWERS * REPLAYED
    } frames replayed), opened 250 at a time by one load client; the floor replays from memory.`,
    "",
    "| server | delivered | all replayed after s | server CPU-s | PostgreSQL CPU-s |",
    "|---|---:|---:|---:|---:|",
  );
  for (const kind of KINDS) {
    const rs = results.get(kind)!;
    lines.push(
      `| ${NAMES[kind]} | ${fmtSpread(rs.map((r) => r.delivered * 100), 2)} % | ${
        fmtSpread(rs.map((r) => r.seconds), 2)
      } | ${fmtSpread(rs.map((r) => r.cpuSeconds), 2)} | ${
        kind === "postgres" ? fmtSpread(rs.map((r) => r.dbCpuSeconds), 2) : "–"
      } |`,
    );
  }
}

if (PARTS.includes("viewers")) {
  const results = await everyRun(
    "viewers",
    viewersOnce,
    (r) =>
      `delivered ${(r.delivered * 100).toFixed(2)}%, first ${r.first.toFixed(1)} ms, p50 ${
        r.p50.toFixed(1)
      } ms, p99 ${r.p99.toFixed(1)} ms, ${r.kbPerViewer.toFixed(1)} KB/viewer, cpu ${
        r.cpuPercent.toFixed(0)
      }%`,
  );
  lines.push(
    "",
    `Viewers: ${VIEWERS} viewers of one page's event stream, ${RATE} component changes/s for ${SECONDS} s (${
      RATE * VIEWERS
    } deliveries/s); one load client process (Node.js) on the same 2 cores; every server with the product's V8 flags. First viewer: the median over the changes of publish → the first viewer that had it.`,
    "",
    "| server | delivered | first viewer ms | p50 ms | p99 ms | max ms | KB/viewer | server CPU % | PostgreSQL CPU % |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const kind of KINDS) {
    const rs = results.get(kind)!;
    lines.push(
      `| ${NAMES[kind]} | ${fmtSpread(rs.map((r) => r.delivered * 100), 2)} % | ${
        fmtSpread(rs.map((r) => r.first))
      } | ${fmtSpread(rs.map((r) => r.p50))} | ${fmtSpread(rs.map((r) => r.p99))} | ${
        fmtSpread(rs.map((r) => r.max))
      } | ${fmtSpread(rs.map((r) => r.kbPerViewer))} | ${
        fmtSpread(rs.map((r) => r.cpuPercent), 0)
      } | ${kind === "postgres" ? fmtSpread(rs.map((r) => r.dbCpuPercent), 0) : "–"} |`,
    );
  }
  const floor = results.get("floor")!;
  lines.push("");
  for (const kind of KINDS.filter((k) => k !== "floor")) {
    const ours = results.get(kind)!;
    lines.push(
      `${NAMES[kind]} ÷ floor (medians): p99 ${
        (m(ours, (r) => r.p99) / m(floor, (r) => r.p99)).toFixed(2)
      }×, memory per viewer ${
        (m(ours, (r) => r.kbPerViewer) / m(floor, (r) => r.kbPerViewer)).toFixed(2)
      }×, server CPU ${(m(ours, (r) => r.cpuPercent) / m(floor, (r) => r.cpuPercent)).toFixed(2)}×${
        kind === "postgres"
          ? `, server + PostgreSQL CPU ${
            (m(ours, (r) => r.cpuPercent + r.dbCpuPercent) / m(floor, (r) => r.cpuPercent))
              .toFixed(2)
          }×`
          : ""
      }.`,
    );
  }
}

await target.shutdown();
await Deno.remove(htmlFile).catch(() => {});
const report = lines.join("\n");
console.log(report);
if (args.out) await Deno.writeTextFile(args.out, report + "\n");
