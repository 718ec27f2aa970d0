/**
 * The floor for the status-page benchmark: bare `Deno.serve` — no page, no
 * cache, no database. Every viewer of `/api/v1/public/status/<slug>/events`
 * is a stream; each change is one `component_status` frame (the product's
 * shape), encoded once and enqueued to every stream; a viewer that comes with
 * a Last-Event-ID first gets the frames after it, from memory. Any other `GET` answers
 * the HTML read from `<html file>` (the product's page, fetched by the
 * driver), from memory.
 *
 *   deno run -A bench/status_servers/floor.ts <port> <components> <html file>
 */
import { commandLoop, streamRequest } from "./_common.ts";

const [port, components, htmlFile] = [Number(Deno.args[0]), Number(Deno.args[1]), Deno.args[2]];
/** Kept for the life of the process: three objects and a string each. */
export const ballast = Array.from(
  { length: Number(Deno.args[3] ?? 0) },
  (_, i) => ({ i, name: `object ${i}`, list: [i, { i }] }),
);
const html = new TextEncoder().encode(await Deno.readTextFile(htmlFile));
const viewers = new Set<ReadableStreamDefaultController<Uint8Array>>();
const encoder = new TextEncoder();
const ids = Array.from({ length: components }, () => crypto.randomUUID());
const statuses = ids.map(() => "pending");
let nextId = 0;
/** Every frame sent, for viewers that come back with a Last-Event-ID. */
const history: { id: number; bytes: Uint8Array }[] = [];

Deno.serve({ port, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
  if (!new URL(req.url).pathname.endsWith("/events")) {
    return new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } });
  }
  let ctl: ReadableStreamDefaultController<Uint8Array>;
  const after = req.headers.get("last-event-id");
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      ctl = c;
      viewers.add(c);
      c.enqueue(encoder.encode("retry: 1000\n\n"));
      if (after !== null) { for (const f of history) if (f.id > Number(after)) c.enqueue(f.bytes); }
    },
    cancel() {
      viewers.delete(ctl);
    },
  });
  return new Response(body, {
    headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
  });
});

console.log(JSON.stringify({ ready: true, request: streamRequest("bench") }));

await commandLoop((n) => {
  const i = n % components;
  statuses[i] = statuses[i] === "up" ? "down" : "up";
  const data = JSON.stringify({
    component_id: ids[i],
    status: statuses[i],
    checked_at: new Date().toISOString(),
  });
  const bytes = encoder.encode(`id: ${++nextId}\nevent: component_status\ndata: ${data}\n\n`);
  history.push({ id: nextId, bytes });
  for (const c of viewers) {
    try {
      c.enqueue(bytes);
    } catch {
      viewers.delete(c);
    }
  }
});
Deno.exit(0);
