/**
 * The floor for the checks benchmark: a bare `fetch` loop over the same
 * schedule (N monitors spread over the interval) and the same concurrency
 * against the same targets — no database, no worker, no TLS inspection.
 *
 *   deno run -A bench/check_servers/floor.ts <ports> <monitors> <interval s> <seconds>
 */
import { quantile } from "../_stats.ts";

const [portsCsv, monitorsText, intervalText, secondsText] = Deno.args;
const ports = portsCsv.split(",").map(Number);
const [monitors, interval, seconds] = [
  Number(monitorsText),
  Number(intervalText),
  Number(secondsText),
];
const concurrency = Number(Deno.env.get("CHECK_CONCURRENCY") ?? 200);
const start = performance.now();
const due = Array.from({ length: monitors }, (_, i) => start + (interval * 1000 * i) / monitors);
const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 }); // a new connection per check, as monitors do
let running = 0, done = 0;
const lags: number[] = [];
const queue: number[] = [];
console.log(JSON.stringify({ pid: Deno.pid, started: true }));

function pump() {
  while (running < concurrency && queue.length) {
    const i = queue.shift()!;
    running++;
    fetch(`http://127.0.0.1:${ports[i % ports.length]}/ok`, {
      client,
      signal: AbortSignal.timeout(10_000),
    })
      .then((r) => r.arrayBuffer())
      .catch(() => {})
      .finally(() => {
        running--;
        done++;
        pump();
      });
  }
}
const timer = setInterval(() => {
  const now = performance.now();
  for (let i = 0; i < monitors; i++) {
    if (due[i] <= now) {
      lags.push((now - due[i]) / 1000);
      due[i] += interval * 1000;
      queue.push(i);
    }
  }
  pump();
}, 100);
await new Promise((r) => setTimeout(r, seconds * 1000));
clearInterval(timer);
console.log(JSON.stringify({
  checksPerSecond: done / seconds,
  lagP50: quantile(lags, 0.5),
  lagP99: quantile(lags, 0.99),
}));
Deno.exit(0);
