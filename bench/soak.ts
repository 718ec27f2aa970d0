/**
 * Soak: V-Insight (main.ts, PGlite) for a long run with 1,000 open streams
 * and 2,000 monitors checked every 60 s against local targets. Samples the
 * server's resident memory and open file descriptors every 30 s and reports
 * whether memory stays flat. Not part of CI.
 *
 *   deno run -A bench/soak.ts [--minutes 30] [--streams 1000] [--monitors 2000]
 */
import { parseArgs } from "node:util";
import { copyPgliteTemplate } from "./_pglite_template.ts";
import { inheritProductEnv, productV8Flags } from "./_process.ts";
import { machine, rssOf } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    minutes: { type: "string", default: "30" },
    streams: { type: "string", default: "1000" },
    monitors: { type: "string", default: "2000" },
    out: { type: "string" },
  },
});
const MINUTES = Number(args.minutes),
  STREAMS = Number(args.streams),
  MONITORS = Number(args.monitors);
const TENANTS = Math.ceil(STREAMS / 100);
const root = new URL("..", import.meta.url).pathname;

const targets = Array.from(
  { length: 4 },
  (_, i) =>
    Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, () =>
      // One target in 20 fails, so incidents open and resolve during the soak.
      new Response(i === 0 && Math.random() < 0.2 ? "down" : "ok", {
        status: i === 0 && Math.random() < 0.2 ? 503 : 200,
      })),
);
const dataDir = await Deno.makeTempDir({ prefix: "vinsight-soak-" });
await copyPgliteTemplate(`${dataDir}/pgdata`);
const port = 23000 + Math.floor(Math.random() * 1000);
const child = new Deno.Command(Deno.execPath(), {
  // As `deno task start` runs it: the product's V8 flags.
  args: ["run", "-A", `--v8-flags=${await productV8Flags()}`, `${root}main.ts`],
  env: { DATA_DIR: dataDir, PORT: String(port), ALLOW_PRIVATE_TARGETS: "true", LOG_LEVEL: "warn" },
  stdout: "null",
  stderr: "inherit",
}).spawn();
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    await new Promise((r) => setTimeout(r, 200));
  }
}

const tokens: string[] = [];
for (let t = 0; t < TENANTS; t++) {
  const res = await fetch(`${base}/api/v1/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `soak${t}@example.test`,
      password: "soak password 123",
      tenant_name: `Soak ${t}`,
    }),
  });
  tokens.push((await res.json()).token);
  await fetch(`${base}/api/v1/alert-rules`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[t]}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "down", condition: { type: "consecutive_failures", count: 2 } }),
  }).then((r) => r.body?.cancel());
}
for (let i = 0; i < MONITORS; i++) {
  const target = targets[i % targets.length].addr as Deno.NetAddr;
  await fetch(`${base}/api/v1/monitors`, {
    method: "POST",
    headers: { authorization: `Bearer ${tokens[i % TENANTS]}`, "content-type": "application/json" },
    body: JSON.stringify({
      name: `soak ${i}`,
      url: `http://127.0.0.1:${target.port}/`,
      interval_seconds: 60,
    }),
  }).then((r) => r.body?.cancel());
}

let received = 0;
const conns: Deno.Conn[] = [];
for (let i = 0; i < STREAMS; i++) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(
    `GET /api/v1/stream/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${
      tokens[i % TENANTS]
    }\r\n\r\n`,
  ));
  conns.push(conn);
  (async () => {
    const buf = new Uint8Array(65536);
    try {
      for (;;) {
        const n = await conn.read(buf);
        if (n === null) return;
        for (let k = 0; k < n - 3; k++) {
          if (buf[k] === 105 && buf[k + 1] === 100 && buf[k + 2] === 58) received++; // "id:"
        }
      }
    } catch {
      // closed
    }
  })();
}

const samples: { minute: number; rssMb: number; fds: number }[] = [];
const t0 = performance.now();
const sample = () => {
  const fds = [...Deno.readDirSync(`/proc/${child.pid}/fd`)].length;
  samples.push({ minute: (performance.now() - t0) / 60_000, rssMb: rssOf(child.pid) / 1e6, fds });
  const s = samples.at(-1)!;
  console.error(
    `${s.minute.toFixed(1)} min: rss ${
      s.rssMb.toFixed(0)
    } MB, fds ${s.fds}, events received ${received}`,
  );
};
sample();
while (performance.now() - t0 < MINUTES * 60_000) {
  await new Promise((r) => setTimeout(r, 30_000));
  sample();
}
for (const c of conns) c.close();
child.kill("SIGTERM");
await child.status;
for (const t of targets) await t.shutdown();
await Deno.remove(dataDir, { recursive: true }).catch(() => {});

// Flat means: the second half's memory does not trend up (least-squares slope per 10 minutes).
const second = samples.filter((s) => s.minute >= MINUTES / 2);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const mx = mean(second.map((s) => s.minute)), my = mean(second.map((s) => s.rssMb));
const slope = second.reduce((a, s) => a + (s.minute - mx) * (s.rssMb - my), 0) /
  Math.max(1e-9, second.reduce((a, s) => a + (s.minute - mx) ** 2, 0));
const warm = samples.find((s) => s.minute >= 2) ?? samples[0];
const out = [
  `- Machine: ${machine()}`,
  `- Command: deno run -A bench/soak.ts --minutes ${MINUTES} --streams ${STREAMS} --monitors ${MONITORS}`,
  "",
  "| measure | value |",
  "|---|---:|",
  `| duration | ${MINUTES} min |`,
  `| open streams / monitors (60 s interval) | ${STREAMS} / ${MONITORS} |`,
  `| events received by the clients | ${received} |`,
  `| server RSS after 2 min / at the end / max | ${warm.rssMb.toFixed(0)} / ${
    samples.at(-1)!.rssMb.toFixed(0)
  } / ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB |`,
  `| RSS trend over the second half | ${(slope * 10).toFixed(1)} MB per 10 min |`,
  `| open file descriptors at the start / end | ${samples[0].fds} / ${samples.at(-1)!.fds} |`,
].join("\n");
console.log(out);
if (args.out) await Deno.writeTextFile(args.out, out + "\n");
Deno.exit(0);
