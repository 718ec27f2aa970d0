/**
 * Notifications under a storm, on PostgreSQL: 1,000 incidents open within one
 * second across 100 tenants, each tenant with a default webhook channel. A
 * V-Insight server runs as its own process (`main.ts`, the product's flags);
 * this process writes the incidents (storeResults, as the check runner does)
 * and receives the webhooks on loopback. Reports every delivery received once,
 * commit → receipt p50/p99, and the server's CPU per delivery, beside the
 * floor: the same 1,000 signed POSTs sent by a bare `fetch` loop in one
 * process. Then the same storm (500 incidents) on one Slack-type channel:
 * how many messages went out, and how soon the last one.
 *
 *   deno run -A bench/notifications.ts [--incidents 1000] [--tenants 100] [--slack 500] [--runs 3]
 *     [--database-url postgres://…]   (or BENCH_DATABASE_URL / TEST_DATABASE_URL)
 */
import { parseArgs } from "node:util";
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import { openPostgres } from "../core/db/postgres.ts";
import { signWebhook } from "../core/notifications/senders/sign_webhook.ts";
import { freshDatabase, inheritProductEnv, jsonLines, productV8Flags } from "./_process.ts";
import { cpuSecondsOf, fmtSpread, machine, quantile } from "./_stats.ts";

await inheritProductEnv();

const { values: args } = parseArgs({
  args: Deno.args,
  options: {
    incidents: { type: "string", default: "1000" },
    tenants: { type: "string", default: "100" },
    slack: { type: "string", default: "500" },
    runs: { type: "string", default: "3" },
    "database-url": {
      type: "string",
      default: Deno.env.get("BENCH_DATABASE_URL") ?? Deno.env.get("TEST_DATABASE_URL") ?? "",
    },
    out: { type: "string" },
  },
});
const INCIDENTS = Number(args.incidents);
const TENANTS = Number(args.tenants);
const SLACK = Number(args.slack);
const RUNS = Number(args.runs);
if (!args["database-url"]) {
  console.error("bench/notifications.ts needs --database-url (a PostgreSQL admin URL)");
  Deno.exit(2);
}
const root = new URL("..", import.meta.url).pathname;
const V8_FLAGS = await productV8Flags();

/** Receipts by path, with the time each arrived. */
const receipts: { path: string; id: string | null; body: string; at: number }[] = [];
const receiver = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, async (req) => {
  receipts.push({
    path: new URL(req.url).pathname,
    id: req.headers.get("webhook-id"),
    body: await req.text(),
    at: performance.now(),
  });
  return new Response(null, { status: 204 });
});
const rx = `http://127.0.0.1:${(receiver.addr as Deno.NetAddr).port}`;

async function call(base: string, method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

function failing(monitorId: string): CheckOutcome {
  return {
    monitorId,
    success: false,
    statusCode: 500,
    responseTimeMs: 5,
    errorMessage: "Unexpected status 500 (expected 200-399)",
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 5,
  };
}

async function startServer(databaseUrl: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--v8-flags=${V8_FLAGS}`, `${root}main.ts`],
    env: {
      DATABASE_URL: databaseUrl,
      PORT: "0",
      HOST: "127.0.0.1",
      ALLOW_PRIVATE_TARGETS: "true",
      LOG_LEVEL: "info", // "listening" is an info line
      DENO_NO_UPDATE_CHECK: "1",
    },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = jsonLines(child.stdout, "server");
  for (;;) {
    const line = await next();
    if (line.msg === "listening") {
      // Keep reading its log: a full pipe would block the server's writes, and so the server.
      (async () => {
        for (;;) await next();
      })().catch(() => {});
      return { child, url: line.url as string };
    }
  }
}

/** Sets up tenants with a default channel and a one-failure rule; answers the monitor ids. */
async function setUp(
  base: string,
  tenants: number,
  perTenant: number,
  channel: (i: number) => unknown,
) {
  const monitors: string[] = [];
  for (let t = 0; t < tenants; t++) {
    const { token } = await call(base, "POST", "/api/v1/auth/register", undefined, {
      email: `bench${t}-${crypto.randomUUID().slice(0, 6)}@example.test`,
      password: "correct horse battery",
      tenant_name: `bench ${t}`,
    });
    await call(base, "POST", "/api/v1/notification-channels", token, channel(t));
    await call(base, "POST", "/api/v1/alert-rules", token, {
      name: "down",
      condition: { type: "consecutive_failures", count: 1 },
    });
    for (let m = 0; m < perTenant; m++) {
      const monitor = await call(base, "POST", "/api/v1/monitors", token, {
        name: `t${t}-m${m}`,
        url: `${rx}/target`,
        interval_seconds: 86400,
      });
      monitors.push(monitor.id);
    }
  }
  return monitors;
}

/** Opens incidents in ten batches over one second; answers each incident's commit time by monitor. */
async function storm(db: Awaited<ReturnType<typeof openPostgres>>, monitors: string[]) {
  const committed = new Map<string, number>();
  const batch = Math.ceil(monitors.length / 10);
  const started = performance.now();
  for (let i = 0; i < monitors.length; i += batch) {
    const part = monitors.slice(i, i + batch);
    await storeResults(db, part.map(failing));
    const at = performance.now();
    for (const id of part) committed.set(id, at);
    const wait = started + ((i / batch) + 1) * 100 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return committed;
}

interface Result {
  received: number;
  unique: number;
  p50: number;
  p99: number;
  cpuMsPerDelivery: number;
  floorCpuMsPerDelivery: number;
  slackMessages: number;
  slackDrainSeconds: number;
}

async function runOnce(): Promise<Result> {
  receipts.length = 0;
  const databaseUrl = await freshDatabase(args["database-url"]!);
  const server = await startServer(databaseUrl);
  const db = await openPostgres(databaseUrl);
  try {
    const perTenant = Math.ceil(INCIDENTS / TENANTS);
    const monitors = await setUp(server.url, TENANTS, perTenant, (t) => ({
      name: "hook",
      type: "webhook",
      config: { url: `${rx}/hook/${t}` },
      is_default: true,
    }));
    // The monitors' first checks against the receiver's /target succeed; let them land.
    const deadline = performance.now() + 30_000;
    while (receipts.filter((r) => r.path === "/target").length < monitors.length) {
      if (performance.now() > deadline) throw new Error("first checks did not land");
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 1000));

    const cpuBefore = cpuSecondsOf(server.child.pid);
    const committed = await storm(db, monitors.slice(0, INCIDENTS));
    while (receipts.filter((r) => r.path.startsWith("/hook/")).length < INCIDENTS) {
      if (performance.now() > deadline + 60_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const cpu = cpuSecondsOf(server.child.pid) - cpuBefore;
    const hooks = receipts.filter((r) => r.path.startsWith("/hook/"));
    const latencies = hooks.map((r) => {
      const monitorId = JSON.parse(r.body).data.monitor.id as string;
      return r.at - committed.get(monitorId)!;
    });

    // The floor: the same number of signed POSTs from a bare loop, 32 at a time. The receiver
    // runs in this process too, so the figure is an upper bound of a bare sender's cost.
    const ownBefore = cpuSecondsOf(Deno.pid);
    let sent = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (sent < INCIDENTS) {
        sent++;
        const body = JSON.stringify({
          type: "incident.opened",
          timestamp: new Date().toISOString(),
          data: {},
        });
        const ts = Math.floor(Date.now() / 1000);
        await fetch(`${rx}/floor`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "webhook-signature": await signWebhook(
              "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
              String(sent),
              ts,
              body,
            ),
          },
          body,
        }).then((r) => r.body?.cancel());
      }
    }));
    const floorCpu = cpuSecondsOf(Deno.pid) - ownBefore;

    // The Slack storm: one tenant, one slack channel, SLACK incidents in one second.
    const slackMonitors = await setUp(server.url, 1, SLACK, () => ({
      name: "slack",
      type: "slack",
      config: { webhook_url: `${rx}/slack` },
      is_default: true,
    }));
    const slackDeadline = performance.now() + 60_000;
    while (receipts.filter((r) => r.path === "/target").length < monitors.length + SLACK) {
      if (performance.now() > slackDeadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const slackStart = performance.now();
    await storm(db, slackMonitors);
    const named = () => {
      const text = receipts.filter((r) => r.path === "/slack").map((r) => JSON.parse(r.body).text)
        .join("\n");
      return slackMonitors.filter((_, i) => new RegExp(`t0-m${i}\\b`).test(text)).length;
    };
    while (performance.now() < slackStart + 90_000) {
      const [row] = await db.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM deliveries d JOIN notification_channels c ON c.id = d.channel_id WHERE c.type = 'slack' AND d.status = 'pending'",
      );
      if (row.n === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const slack = receipts.filter((r) => r.path === "/slack");
    const drain = (slack.at(-1)?.at ?? slackStart) - slackStart;
    console.error(`slack storm: ${slack.length} messages, ${named()} of ${SLACK} monitors named`);

    return {
      received: hooks.length,
      unique: new Set(hooks.map((h) => h.id)).size,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      cpuMsPerDelivery: (cpu * 1000) / Math.max(1, hooks.length),
      floorCpuMsPerDelivery: (floorCpu * 1000) / INCIDENTS,
      slackMessages: slack.length,
      slackDrainSeconds: drain / 1000,
    };
  } finally {
    await db.close();
    server.child.kill("SIGTERM");
    await server.child.status;
  }
}

const results: Result[] = [];
for (let run = 1; run <= RUNS; run++) {
  const r = await runOnce();
  results.push(r);
  console.log(
    `run ${run}: ${r.received} received (${r.unique} unique) of ${INCIDENTS}, commit→receipt p50 ${
      r.p50.toFixed(0)
    } ms p99 ${r.p99.toFixed(0)} ms, server ${
      r.cpuMsPerDelivery.toFixed(2)
    } ms CPU/delivery (floor ${
      r.floorCpuMsPerDelivery.toFixed(2)
    }), slack storm of ${SLACK}: ${r.slackMessages} messages in ${
      r.slackDrainSeconds.toFixed(1)
    } s`,
  );
}

const col = (f: (r: Result) => number, d = 0) => fmtSpread(results.map(f), d);
const report =
  `Min / median / max of ${RUNS} runs. Machine: ${machine()}. Command: \`deno run -A bench/notifications.ts --incidents ${INCIDENTS} --tenants ${TENANTS} --slack ${SLACK} --runs ${RUNS}\`
(PostgreSQL 15, one V-Insight process with the product's V8 flags; receiver and storm writer in the bench process.)

| measure | result |
|---|---|
| webhooks received / unique / incidents | ${col((r) => r.received)} / ${
    col((r) => r.unique)
  } / ${INCIDENTS} |
| commit → receipt p50 (ms) | ${col((r) => r.p50)} |
| commit → receipt p99 (ms) | ${col((r) => r.p99)} |
| server CPU per delivery (ms) | ${col((r) => r.cpuMsPerDelivery, 2)} |
| floor: bare signed \`fetch\` loop, CPU per POST (ms, sender and receiver in one process) | ${
    col((r) => r.floorCpuMsPerDelivery, 2)
  } |
| Slack-type storm: messages for ${SLACK} incidents | ${col((r) => r.slackMessages)} |
| Slack-type storm: last message after (s) | ${col((r) => r.slackDrainSeconds, 1)} |
`;
console.log("\n" + report);
if (args.out) await Deno.writeTextFile(args.out, report);
await receiver.shutdown();
Deno.exit(0);
