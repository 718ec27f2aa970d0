/**
 * The floor: a bare `Deno.serve` SSE broadcast loop — no auth, no hub, no
 * replay, no database. Each event is encoded once and enqueued to every
 * stream of its tenant (`?t=<tenant>`).
 *
 *   deno run -A bench/sse_servers/floor.ts <port> <tenants>
 */
import { commandLoop, sampleCheck } from "./_common.ts";

const [port, tenantCount] = [Number(Deno.args[0]), Number(Deno.args[1])];
const channels = Array.from(
  { length: tenantCount },
  () => new Set<ReadableStreamDefaultController<Uint8Array>>(),
);
const encoder = new TextEncoder();
let nextId = 0;

Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
  const t = Number(new URL(req.url).searchParams.get("t"));
  let ctl: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      ctl = c;
      channels[t].add(c);
      c.enqueue(encoder.encode("retry: 1000\n\n"));
    },
    cancel() {
      channels[t].delete(ctl);
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
});

console.log(JSON.stringify({
  ready: true,
  requests: Array.from(
    { length: tenantCount },
    (_, i) => `GET /events?t=${i} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
  ),
}));

await commandLoop((tenant) => {
  const id = ++nextId;
  const data = JSON.stringify({
    type: "monitor_check",
    data: sampleCheck(),
    tenant_id: tenant,
  });
  const bytes = encoder.encode(`id: ${id}\nevent: monitor_check\ndata: ${data}\n\n`);
  for (const c of channels[tenant]) {
    try {
      c.enqueue(bytes);
    } catch {
      channels[tenant].delete(c);
    }
  }
}, tenantCount);
Deno.exit(0);
