// The peer: a Node.js SSE server built on better-sse's channels, one channel
// per tenant (`?t=<tenant>`), fed by the same publish loop over stdin.
//   node bench/sse_servers/better_sse.mjs <port> <tenants>   (NODE_PATH → better-sse)
import http from "node:http";
import readline from "node:readline";
import { createRequire } from "node:module";
import { sampleCheck } from "./sample.mjs";

// better-sse is installed by the benchmark outside the repository; NODE_PATH names it.
const require = createRequire(`${process.env.NODE_PATH}/`);
const { createChannel, createSession } = require("better-sse");

const [port, tenantCount] = [Number(process.argv[2]), Number(process.argv[3])];
const channels = Array.from({ length: tenantCount }, () => createChannel());
let nextId = 0;

const server = http.createServer(async (req, res) => {
  const t = Number(new URL(req.url, "http://x").searchParams.get("t"));
  const session = await createSession(req, res, { keepAlive: null });
  channels[t].register(session);
});
server.maxConnections = 100000;
server.listen(port, "127.0.0.1", () => {
  const requests = Array.from(
    { length: tenantCount },
    (_, i) => `GET /events?t=${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  );
  console.log(JSON.stringify({ ready: true, requests }));
});

const rl = readline.createInterface({ input: process.stdin });
rl.on("line", async (line) => {
  const [cmd, rateText, secondsText] = line.trim().split(/\s+/);
  if (cmd === "gc") {
    globalThis.gc?.();
    setTimeout(() => console.log(JSON.stringify({ gc: true })), 200);
    return;
  }
  if (cmd !== "publish") return;
  const rate = Number(rateText), seconds = Number(secondsText);
  const ticks = rate * seconds / 2, interval = 1000 / (rate / 2);
  const start = performance.now();
  const perTenant = new Array(tenantCount).fill(0);
  let events = 0;
  for (let i = 0; i < ticks; i++) {
    const wait = start + i * interval - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const other = 1 + Math.floor(Math.random() * (tenantCount - 1));
    for (const tenant of [0, other]) {
      const data = {
        type: "monitor_check",
        data: sampleCheck(),
        tenant_id: tenant,
      };
      channels[tenant].broadcast(data, "monitor_check", { eventId: String(++nextId) });
      perTenant[tenant]++;
      events++;
    }
  }
  console.log(JSON.stringify({ done: events, perTenant }));
});
rl.on("close", () => process.exit(0));
