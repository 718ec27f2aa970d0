// An open-loop HTTP load client (Node.js, like sse_client.mjs): GETs one URL
// at a fixed rate over keep-alive connections and records each request's time
// from when it was due (not when a connection was free, so a server that falls
// behind shows it). Prints one JSON line when done:
//   node bench/http_load.mjs <url> <requests/s> <seconds> [connections]
//   → {"sent","ok","failed","p50","p99","max","bytes","cpu"}
import http from "node:http";

const [url, rateText, secondsText, connectionsText] = process.argv.slice(2);
const rate = Number(rateText), seconds = Number(secondsText);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connectionsText ?? 64) });
const latencies = [];
let ok = 0, failed = 0, bytes = 0, sent = 0;
const total = rate * seconds;
const start = performance.now();

function fire(due) {
  sent++;
  return new Promise((resolve) => {
    const req = http.get(url, { agent }, (res) => {
      let n = 0;
      res.on("data", (c) => (n += c.length));
      res.on("end", () => {
        latencies.push(performance.now() - due);
        if (res.statusCode === 200) ok++;
        else failed++;
        bytes += n;
        resolve();
      });
    });
    req.on("error", () => {
      failed++;
      resolve();
    });
  });
}

const pending = [];
await new Promise((done) => {
  const tick = () => {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * rate));
    while (sent < due) pending.push(fire(start + (sent * 1000) / rate));
    if (sent < total) setTimeout(tick, 1);
    else done();
  };
  tick();
});
await Promise.all(pending);
const sorted = Float64Array.from(latencies).sort();
const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const usage = process.cpuUsage();
console.log(JSON.stringify({
  sent,
  ok,
  failed,
  p50: q(0.5),
  p99: q(0.99),
  max: sorted.at(-1) ?? 0,
  bytes: ok ? bytes / ok : 0,
  cpu: (usage.user + usage.system) / 1e6,
}));
agent.destroy();
