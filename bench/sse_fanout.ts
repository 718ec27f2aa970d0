/**
 * SSE fan-out: N concurrent streams over 100 tenants plus one hot tenant,
 * events published at a steady rate; publish → receive latency at the clients,
 * deliveries per second, server memory per stream and CPU — for V-Insight
 * (PGlite), the floor (bare Deno.serve broadcast) and the peer (better-sse on
 * Node.js), with the same load client in the same run.
 *
 *   deno run -A bench/sse_fanout.ts [--streams 1000,5000,10000,15000] [--runs 3] [--seconds 10] [--rate 20]
 */
import { parseArgs } from "node:util";
import { inheritProductEnv, jsonLines, productV8Flags, spawnSseClient } from "./_process.ts";
import { cpuSecondsOf, fmtSpread, machine, rssOf, spread } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    streams: { type: "string", default: "1000,5000,10000,15000" },
    runs: { type: "string", default: "3" },
    seconds: { type: "string", default: "10" },
    rate: { type: "string", default: "20" },
    servers: { type: "string", default: "ours,floor,peer" },
    out: { type: "string" },
  },
});
const STREAMS = args.streams!.split(",").map(Number);
const RUNS = Number(args.runs);
const SECONDS = Number(args.seconds);
const RATE = Number(args.rate);
const TENANTS = 101; // tenant 0 is the hot one
const HOT_SHARE = 0.4;

const root = new URL("..", import.meta.url).pathname;
const V8_FLAGS = await productV8Flags();

/** Installs better-sse for the peer outside the repository (npm registry). */
async function peerNodePath(): Promise<string> {
  const dir = `${Deno.env.get("TMPDIR") ?? "/tmp"}/vinsight-bench-peer`;
  try {
    await Deno.stat(`${dir}/node_modules/better-sse/package.json`);
  } catch {
    await Deno.mkdir(dir, { recursive: true });
    const out = await new Deno.Command("npm", {
      args: [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-package-lock",
        "--silent",
        "better-sse@0.16.1",
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (out.code !== 0) {
      throw new Error(`npm install better-sse failed: ${new TextDecoder().decode(out.stderr)}`);
    }
  }
  return `${dir}/node_modules`;
}

interface Spawned {
  child: Deno.ChildProcess;
  requests: string[];
  send(line: string): Promise<void>;
  next(): Promise<Record<string, unknown>>;
}

async function spawnServer(kind: string, port: number): Promise<Spawned> {
  const common = { stdin: "piped" as const, stdout: "piped" as const, stderr: "inherit" as const };
  const child = kind === "peer"
    ? new Deno.Command("node", {
      args: [
        "--expose-gc",
        `${root}bench/sse_servers/better_sse.mjs`,
        String(port),
        String(TENANTS),
      ],
      env: { NODE_PATH: await peerNodePath() },
      ...common,
    }).spawn()
    : new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        // The product's own flags for both Deno servers, plus gc() for the memory reading.
        `--v8-flags=--expose-gc,${V8_FLAGS}`,
        `${root}bench/sse_servers/${kind}.ts`,
        String(port),
        String(TENANTS),
      ],
      ...common,
    }).spawn();
  const next = jsonLines(child.stdout, `${kind} server`);
  const writer = child.stdin.getWriter();
  const ready = await next();
  return {
    child,
    requests: ready.requests as string[],
    send: (line) => writer.write(new TextEncoder().encode(line + "\n")),
    next,
  };
}

interface RunResult {
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  perSecond: number;
  kbPerStream: number;
  cpuPercent: number;
  clientCpuPercent: number;
}

async function runOnce(kind: string, streams: number, port: number): Promise<RunResult> {
  const server = await spawnServer(kind, port);
  const pid = server.child.pid;
  await new Promise((r) => setTimeout(r, 1000));
  const client = spawnSseClient();
  const perTenantStreams = new Array(TENANTS).fill(0);
  const hot = Math.round(streams * HOT_SHARE);
  const tenants = Array.from({ length: streams }, (_, n) => {
    const tenant = n < hot ? 0 : 1 + ((n - hot) % (TENANTS - 1));
    perTenantStreams[tenant]++;
    return tenant;
  });
  // Memory per stream is the slope between half and all of the streams, so start-up
  // garbage released meanwhile does not count.
  const half = Math.floor(streams / 2);
  await client.connect(port, server.requests, tenants.slice(0, half));
  await new Promise((r) => setTimeout(r, 1500));
  await server.send("gc");
  await server.next();
  const rssHalf = rssOf(pid);
  await client.connect(port, server.requests, tenants.slice(half));
  await new Promise((r) => setTimeout(r, 1500));
  await server.send("gc");
  await server.next();
  const rssAfter = rssOf(pid);
  const cpuBefore = cpuSecondsOf(pid);
  const clientCpuBefore = (await client.count()).cpu;
  const started = performance.now();
  await server.send(`publish ${RATE} ${SECONDS}`);
  const done = await server.next() as { perTenant: number[] };
  const expected = done.perTenant.reduce((sum, events, t) => sum + events * perTenantStreams[t], 0);
  const deadline = performance.now() + 10_000;
  let count = await client.count();
  while (count.received < expected && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    count = await client.count();
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  const stats = await client.stats();
  const delivered = stats.received;
  await client.close();
  await server.child.stdin.close().catch(() => {});
  try {
    server.child.kill("SIGTERM");
  } catch {
    // gone
  }
  await server.child.status;
  return {
    delivered,
    expected,
    p50: stats.p50,
    p99: stats.p99,
    max: stats.max,
    perSecond: delivered / SECONDS,
    kbPerStream: (rssAfter - rssHalf) / (streams - half) / 1024,
    cpuPercent: (cpu / elapsed) * 100,
    clientCpuPercent: ((count.cpu - clientCpuBefore) / elapsed) * 100,
  };
}

const results = new Map<string, RunResult[]>();
let port = 21000 + Math.floor(Math.random() * 1000);
for (const streams of STREAMS) {
  for (let run = 0; run < RUNS; run++) {
    for (const kind of args.servers!.split(",")) {
      const r = await runOnce(kind, streams, port++);
      const key = `${kind}|${streams}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      console.error(
        `${kind.padEnd(5)} ${String(streams).padStart(6)} streams run ${
          run + 1
        }: delivered ${r.delivered}/${r.expected}, p50 ${r.p50.toFixed(1)} ms, p99 ${
          r.p99.toFixed(1)
        } ms, max ${r.max.toFixed(1)} ms, ${r.kbPerStream.toFixed(1)} KB/stream, cpu ${
          r.cpuPercent.toFixed(0)
        }%, client cpu ${r.clientCpuPercent.toFixed(0)}%`,
      );
    }
  }
}

const NAMES: Record<string, string> = {
  ours: "V-Insight (PGlite)",
  floor: "floor: bare Deno.serve",
  peer: "peer: better-sse (Node)",
};
const lines = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/sse_fanout.ts --streams ${
    STREAMS.join(",")
  } --runs ${RUNS} --seconds ${SECONDS} --rate ${RATE}`,
  `- Load: ${TENANTS - 1} tenants + 1 hot tenant holding ${
    HOT_SHARE * 100
  }% of the streams; ${RATE} events/s (half to the hot tenant); one load client process (Node.js, bench/sse_client.mjs) on the same 2 cores; both Deno servers run with the product's V8 flags.`,
  "",
  "| server | streams | delivered | p50 ms | p99 ms | max ms | deliveries/s | KB/stream | server CPU % | client CPU % |",
  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
];
for (const streams of STREAMS) {
  for (const kind of args.servers!.split(",")) {
    const rs = results.get(`${kind}|${streams}`);
    if (!rs) continue;
    const delivered = rs.map((r) => (r.delivered / r.expected) * 100);
    lines.push(
      `| ${NAMES[kind]} | ${streams} | ${fmtSpread(delivered, 2)} % | ${
        fmtSpread(rs.map((r) => r.p50))
      } | ${fmtSpread(rs.map((r) => r.p99))} | ${fmtSpread(rs.map((r) => r.max))} | ${
        fmtSpread(rs.map((r) => r.perSecond), 0)
      } | ${fmtSpread(rs.map((r) => r.kbPerStream))} | ${
        fmtSpread(rs.map((r) => r.cpuPercent), 0)
      } | ${fmtSpread(rs.map((r) => r.clientCpuPercent), 0)} |`,
    );
  }
}
lines.push(
  "",
  "Ratios (medians), V-Insight ÷ other:",
  "",
  "| streams | vs | p99 | KB/stream | CPU |",
  "|---:|---|---:|---:|---:|",
);
for (const streams of STREAMS) {
  const ours = results.get(`ours|${streams}`);
  if (!ours) continue;
  for (const kind of ["floor", "peer"]) {
    const other = results.get(`${kind}|${streams}`);
    if (!other) continue;
    const m = (rs: RunResult[], f: (r: RunResult) => number) => spread(rs.map(f)).median;
    lines.push(
      `| ${streams} | ${kind} | ${(m(ours, (r) => r.p99) / m(other, (r) => r.p99)).toFixed(2)}× | ${
        (m(ours, (r) => r.kbPerStream) / m(other, (r) => r.kbPerStream)).toFixed(2)
      }× | ${(m(ours, (r) => r.cpuPercent) / m(other, (r) => r.cpuPercent)).toFixed(2)}× |`,
    );
  }
}
const report = lines.join("\n");
console.log(report);
if (args.out) await Deno.writeTextFile(args.out, report + "\n");
