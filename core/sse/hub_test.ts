import assert from "node:assert/strict";
import type { StoredEvent } from "../events/envelope.ts";
import { createLogger } from "../log.ts";
import { Metrics } from "../metrics.ts";
import { SseHub } from "./hub.ts";
import type { EventLogReader } from "../events/event_log.ts";
import { memoryEventLog as memoryLog } from "../events/memory_event_log.ts";
import { BURST_GRACE_MS } from "./sse_stream.ts";

function event(tenantId: number, id: number): StoredEvent {
  return {
    id,
    tenant_id: tenantId,
    type: "incident_resolved",
    data: {
      incident_id: "i",
      monitor_id: "m",
      alert_rule_id: null,
      rule_name: "r",
      status: "resolved",
      resolved_at: "2026-11-27T00:00:00.000Z",
    },
  };
}

async function readText(stream: ReadableStream<Uint8Array>, frames: number): Promise<string> {
  const reader = stream.getReader();
  let text = "";
  while ((text.match(/\n\n/g) ?? []).length < frames) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text;
}

function hub(log: EventLogReader, clientBuffer = 10) {
  return new SseHub({
    metrics: new Metrics(),
    log: createLogger("error", () => {}),
    eventLog: log,
    clientBuffer,
    heartbeatSeconds: 3600,
  });
}

Deno.test("SseHub.publish() skips other tenants", async () => {
  const h = hub(memoryLog([]));
  const one = h.open(1, null);
  const two = h.open(2, null);
  h.publish(event(2, 7));
  h.publish(event(1, 3));
  const text = await readText(one.readable, 2);
  assert.match(text, /^retry: 1000\n\nid: 3\nevent: incident_resolved\n/);
  assert.doesNotMatch(text, /id: 7/);
  assert.match(await readText(two.readable, 2), /id: 7/);
  h.close();
});

Deno.test("SseHub cuts a stream whose buffer overflows, not its neighbours", async () => {
  const metrics = new Metrics();
  const h = new SseHub({
    metrics,
    log: createLogger("error", () => {}),
    eventLog: memoryLog([]),
    clientBuffer: 3,
  });
  const slow = h.open(1, null);
  const other = h.open(1, null);
  let received = 0;
  const drained = (async () => {
    for await (const chunk of other.readable) {
      received += (new TextDecoder().decode(chunk).match(/^id: /gm) ?? []).length;
    }
  })();
  const tick = () => new Promise((r) => setTimeout(r, 0));
  for (let i = 1; i <= 3; i++) h.publish(event(1, i));
  await tick();
  assert.equal(slow.closed, false, "a full buffer is not yet an overflow");
  assert.equal(slow.queued, 3);
  h.publish(event(1, 4));
  assert.equal(slow.closed, false, "a burst in transit is not a backlog");
  await new Promise((r) => setTimeout(r, BURST_GRACE_MS + 10));
  h.publish(event(1, 5));
  assert.equal(slow.closed, true);
  assert.equal(metrics.sseSlowClientDisconnects, 1);
  assert.equal(h.connectionsOf(1), 1);
  for (let i = 6; i <= 20; i++) {
    h.publish(event(1, i));
    await tick();
  }
  h.close();
  await drained;
  assert.equal(received, 20, "the reading stream got every event");
});

Deno.test("SseStream hands over from replay to live without gap or duplicate", async () => {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const stored = [1, 2, 3, 4, 5].map((id) => event(1, id));
  const h = hub(memoryLog(stored, gate));
  const s = h.open(1, 2);
  // Live events arrive while the replay is still reading: 5 was already stored, 6 is new.
  h.publish(event(1, 5));
  h.publish(event(1, 6));
  release();
  const text = await readText(s.readable, 5);
  assert.deepEqual([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])), [3, 4, 5, 6]);
  h.close();
});

Deno.test("SseStream replays a gap when a live id skips ahead", async () => {
  const stored = [1, 2, 3].map((id) => event(1, id));
  const h = hub(memoryLog(stored));
  const s = h.open(1, null);
  h.publish(event(1, 1));
  h.publish(event(1, 3)); // 2 was lost on the way
  const text = await readText(s.readable, 4);
  assert.deepEqual([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])), [1, 2, 3]);
  h.close();
});

Deno.test("SseHub.catchUp() replays for a tenant that had seen no event yet", async () => {
  const log: StoredEvent[] = [event(5, 1), event(5, 2)];
  const h = hub(memoryLog(log));
  const stream = h.open(5, null); // a fresh stream: its tenant's latest id (2) is the watermark
  await new Promise((r) => setTimeout(r, 10));
  // Events 3 and 4 were committed while the LISTEN connection was down: never published.
  log.push(event(5, 3), event(5, 4));
  await h.catchUp();
  const text = await readText(stream.readable, 3);
  assert.match(text, /id: 3\n[\s\S]*id: 4\n/);
  assert.doesNotMatch(text, /id: 2\n/);
  h.close();
});

Deno.test("SseStream: a stream cut for falling behind hands over what its client had not taken, then ends", async () => {
  const h = hub(memoryLog([]), 2);
  const s = h.open(1, null);
  h.publish(event(1, 1));
  h.publish(event(1, 2));
  assert.equal(s.queued, 2, "nobody reads: both wait");
  await new Promise((r) => setTimeout(r, BURST_GRACE_MS + 10));
  h.publish(event(1, 3)); // two waited past the grace: a backlog, so the stream is cut
  assert.equal(s.closed, true);
  assert.equal(h.connectionsOf(1), 0);
  let text = "";
  for await (const chunk of s.readable) text += new TextDecoder().decode(chunk);
  assert.deepEqual([...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1])), [1, 2]);
  assert.match(text, /^retry: 1000\n\n/);
  h.close();
});
