// The fan-out benchmark's load client, the same for every server: it opens raw
// HTTP streams, counts frames and records publish → receive latency from the
// `s=<epoch ms>` each frame carries. It runs on Node.js because its event loop
// hands socket data to a callback without a promise per read: with one Deno
// client the load client, not the server, set the latency at 10,000 streams.
// With `--iso`, the send time is the frame's `"checked_at":"<ISO time>"` instead (the
// status-page streams, whose frames carry nothing else that could hold it; ms precision).
// Driven by JSON lines on stdin, answers with JSON lines on stdout:
//   {"cmd":"connect","port":1,"requests":["GET …"],"tenants":[0,3,…]} → {"connected":n}
//   {"cmd":"count"} → {"received":n,"cpu":s}  (cheap, while events arrive)
//   {"cmd":"stats"} → {"received":n,"p50":ms,"p99":ms,"max":ms,"cpu":s,"first":ms}
//     (`first`, with --iso: the median over changes of the time to the first viewer reached)
//   {"cmd":"close"} → exits
import net from "node:net";
import readline from "node:readline";

const sockets = [];
let received = 0;
let latencies = new Float64Array(1 << 20);
let count = 0;
const QUOTE = 0x22, DOT = 0x2e;

function record(ms) {
  if (count === latencies.length) {
    const bigger = new Float64Array(latencies.length * 2);
    bigger.set(latencies);
    latencies = bigger;
  }
  latencies[count++] = ms;
}

/** Scans bytes for `s=<digits>.<digits>"`; returns where an incomplete match starts. */
function scan(buf, now) {
  let at = 0;
  for (;;) {
    const i = buf.indexOf("s=", at, "latin1");
    if (i === -1) {
      // Keep a trailing "s": its "=" may come in the next chunk.
      return at < buf.length && buf[buf.length - 1] === 0x73 ? buf.length - 1 : buf.length;
    }
    let j = i + 2, value = 0, scale = 0;
    for (; j < buf.length; j++) {
      const c = buf[j];
      if (c === QUOTE) break;
      if (c === DOT) scale = 1;
      else {
        value = value * 10 + (c - 48);
        if (scale) scale *= 10;
      }
    }
    if (j === buf.length) return i; // the frame continues in the next chunk
    record(now - (scale ? value / scale : value));
    received++;
    at = j + 1;
  }
}

const ISO_KEY = Buffer.from('checked_at":"', "latin1");
/** With --iso: per change (its send time), the soonest any viewer had it. */
const firstBySent = new Map();

/** Scans bytes for `checked_at":"<24-character ISO time>`; returns where an incomplete match starts. */
function scanIso(buf, now) {
  let at = 0;
  for (;;) {
    const i = buf.indexOf(ISO_KEY, at);
    if (i === -1) return Math.max(at, buf.length - ISO_KEY.length);
    const start = i + ISO_KEY.length;
    if (start + 24 > buf.length) return i; // the frame continues in the next chunk
    const sent = Date.parse(buf.toString("latin1", start, start + 24));
    record(now - sent);
    const first = firstBySent.get(sent);
    if (first === undefined || now - sent < first) firstBySent.set(sent, now - sent);
    received++;
    at = start + 24;
  }
}

const scanFrames = process.argv.includes("--iso") ? scanIso : scan;

function open(port, request) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: "127.0.0.1" }, () => {
      socket.write(request);
      resolve(socket);
    });
    socket.setNoDelay(true);
    let carry = null;
    socket.on("data", (chunk) => {
      const now = performance.timeOrigin + performance.now();
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const rest = scanFrames(buf, now);
      carry = rest < buf.length ? buf.subarray(rest) : null;
    });
    socket.on("error", reject);
    sockets.push(socket);
  });
}

function quantile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const msg = JSON.parse(line);
  if (msg.cmd === "connect") {
    for (let i = 0; i < msg.tenants.length; i += 250) {
      await Promise.all(
        msg.tenants.slice(i, i + 250).map((t) => open(msg.port, msg.requests[t])),
      );
    }
    console.log(JSON.stringify({ connected: sockets.length }));
  } else if (msg.cmd === "count") {
    const usage = process.cpuUsage();
    console.log(JSON.stringify({ received, cpu: (usage.user + usage.system) / 1e6 }));
  } else if (msg.cmd === "stats") {
    const sorted = latencies.slice(0, count).sort();
    const usage = process.cpuUsage();
    console.log(JSON.stringify({
      received,
      p50: quantile(sorted, 0.5),
      p99: quantile(sorted, 0.99),
      max: count ? sorted[count - 1] : 0,
      cpu: (usage.user + usage.system) / 1e6,
      first: quantile([...firstBySent.values()].sort((a, b) => a - b), 0.5),
    }));
  } else if (msg.cmd === "close") {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
}
