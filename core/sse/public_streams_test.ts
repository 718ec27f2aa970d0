import assert from "node:assert/strict";
import type { StoredEvent } from "../events/envelope.ts";
import { memoryEventLog } from "../events/memory_event_log.ts";
import { createLogger } from "../log.ts";
import { type PublicPageView, PublicStreams } from "./public_streams.ts";

const TENANT = 3;

/** A check of `monitor` with the tenant's event id `id`. */
function check(id: number, monitor: string, success: boolean): StoredEvent {
  return {
    id,
    tenant_id: TENANT,
    type: "monitor_check",
    data: {
      monitor_id: monitor,
      monitor_name: monitor,
      success,
      status_code: success ? 200 : 503,
      response_time_ms: 10,
      error_message: success ? null : "private",
      ssl_valid: null,
      ssl_expires_at: null,
      checked_at: new Date(Date.UTC(2026, 11, 1, 0, 0, id)).toISOString(),
    },
  };
}

/** A page showing monitor `m1` as component `c1`; every other monitor of the tenant is not on it. */
function page(): PublicPageView {
  return {
    slug: "acme",
    tenantId: TENANT,
    pageId: "p1",
    components: new Map([["m1", "c1"]]),
    statuses: new Map([["m1", "up"]]),
    statusAt: (_monitor, success) => success ? "up" : "down",
    nextChangeAt: null,
  };
}

function streams(events: StoredEvent[], replayLimit: number) {
  return new PublicStreams({
    eventLog: memoryEventLog(events),
    resolvePage: (slug) => Promise.resolve(slug === "acme" ? page() : null),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
    replayLimit,
  });
}

/** Reads frames until `until` holds for the text so far; answers each frame's id, event and status. */
async function framesUntil(
  stream: ReadableStream<Uint8Array>,
  until: (text: string) => boolean,
): Promise<string[]> {
  const reader = stream.getReader();
  let text = "";
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.split("\n\n").filter((f) => f && !f.startsWith("retry:")).map((f) => {
    const data = f.split("\n").find((l) => l.startsWith("data: "));
    const status = data ? JSON.parse(data.slice(6)).status : undefined;
    return [
      ...f.split("\n").filter((l) => l.startsWith("id:") || l.startsWith("event:")),
      ...(status ? [status] : []),
    ].join(" ");
  });
}

// The tenant's log: m1 goes down at 2, up at 4; between, 40 checks of a monitor not on the page.
const log = [
  check(1, "m1", true),
  check(2, "m1", false),
  ...Array.from({ length: 40 }, (_, i) => check(3 + i, "other", true)),
  check(43, "m1", true),
];

Deno.test("PublicStreams replays a page's changes after Last-Event-ID within the limit", async () => {
  const s = streams(log, 100);
  const viewer = (await s.open("acme", 1))!;
  s.publish(check(44, "m1", false));
  const frames = await framesUntil(viewer, (t) => t.includes("id: 44"));
  assert.deepEqual(frames, [
    "id: 2 event: component_status down",
    "id: 43 event: component_status up",
    "id: 44 event: component_status down",
  ]);
  s.close();
});

Deno.test("PublicStreams sends reset, then goes live, to a viewer further behind than the limit", async () => {
  const s = streams(log, 20); // 42 events after id 1: more than the limit
  const viewer = (await s.open("acme", 1))!;
  s.publish(check(44, "m1", false));
  const frames = await framesUntil(viewer, (t) => t.includes("id: 44"));
  assert.deepEqual(frames, ["event: reset", "id: 44 event: component_status down"]);
  s.close();
});

Deno.test("PublicStreams sends reset to a viewer whose id the log does not hold, and does not drop the live frames after it", async () => {
  // An id from elsewhere (another database): ahead of the tenant's log. Live ids are lower.
  const s = streams(log, 5000);
  const ahead = (await s.open("acme", 1_000_000))!;
  // Pruned: the log starts at 11, the viewer last saw 5.
  const pruned = streams(log.slice(10), 5000);
  const behind = (await pruned.open("acme", 5))!;
  s.publish(check(44, "m1", false));
  pruned.publish(check(44, "m1", false));
  for (const viewer of [ahead, behind]) {
    const frames = await framesUntil(viewer, (t) => t.includes("id: 44"));
    assert.deepEqual(frames, ["event: reset", "id: 44 event: component_status down"]);
  }
  s.close();
  pruned.close();
});

Deno.test("PublicStreams sends what a renewed view changes, without an id, and never a view older than a change sent meanwhile", async () => {
  // The page as each read finds it: the first for the viewer, then the renewals.
  const reads: (() => Promise<PublicPageView>)[] = [];
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const s = new PublicStreams({
    eventLog: memoryEventLog([]),
    resolvePage: () => reads.shift()!(),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  const withStatus = (status: string) => {
    const p = page();
    p.statuses.set("m1", status);
    return p;
  };
  reads.push(() => Promise.resolve(withStatus("up")));
  const viewer = (await s.open("acme", null))!;
  // A window edited to cover m1 now: the renewal reads `maintenance`, but is held while a
  // check turns m1 down; read again after it (the event's own page), it finds it down.
  reads.push(async () => (await held, withStatus("maintenance")));
  reads.push(() => Promise.resolve(withStatus("down")));
  s.refreshTenant(TENANT);
  s.publish(check(44, "m1", false));
  release();
  await new Promise((r) => setTimeout(r, 10));
  // And then an edit with no check meanwhile (the window removed, m1 up again): sent.
  reads.push(() => Promise.resolve(withStatus("up")));
  s.refreshTenant(TENANT);
  const frames = await framesUntil(viewer, (t) => t.split("component_status").length > 2);
  assert.deepEqual(frames, [
    "id: 44 event: component_status down",
    "event: component_status up",
  ]);
  s.close();
});

Deno.test("PublicStreams renews a tenant's pages once when several reach a maintenance boundary together", async () => {
  const at = Date.now() + 30;
  const renewed: number[] = [];
  const s = new PublicStreams({
    eventLog: memoryEventLog([]),
    resolvePage: (slug) => Promise.resolve({ ...page(), slug, nextChangeAt: at }),
    renewTenant: (tenantId) => renewed.push(tenantId),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  await s.open("one", null);
  await s.open("two", null);
  const deadline = Date.now() + 2000;
  while (renewed.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 50)); // the second page's timer had its turn
  assert.deepEqual(renewed, [TENANT]);
  s.close();
});

/** `log`, counting the reads a test cares about. */
function counted(events: StoredEvent[]) {
  const log = memoryEventLog(events);
  const reads = { latest: 0, after: 0 };
  return {
    reads,
    log: {
      ...log,
      latestId: (t: number) => (reads.latest++, log.latestId(t)),
      readAfter: (t: number, a: number, n: number) => (reads.after++, log.readAfter(t, a, n)),
    },
  };
}

Deno.test("PublicStreams replays a reconnecting crowd with one read of the log, then from memory", async () => {
  const { log: eventLog, reads } = counted(log);
  const s = new PublicStreams({
    eventLog,
    resolvePage: () => Promise.resolve(page()),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  const crowd = await Promise.all(Array.from({ length: 100 }, () => s.open("acme", 1)));
  for (const viewer of crowd) {
    const frames = await framesUntil(viewer!, (t) => t.includes("id: 43"));
    assert.deepEqual(frames, [
      "id: 2 event: component_status down",
      "id: 43 event: component_status up",
    ]);
  }
  assert.deepEqual(reads, { latest: 1, after: 1 });
  // A change, then one more viewer back from 43: from memory.
  s.publish(check(44, "m1", false));
  const late = (await s.open("acme", 43))!;
  assert.deepEqual(await framesUntil(late, (t) => t.includes("id: 44")), [
    "id: 44 event: component_status down",
  ]);
  assert.deepEqual(reads, { latest: 1, after: 1 });
  // One from before what the page keeps reads the log again.
  const early = (await s.open("acme", 0))!;
  const frames = await framesUntil(early, (t) => t.includes("id: 44"));
  assert.deepEqual(frames, [
    "id: 1 event: component_status up",
    "id: 2 event: component_status down",
    "id: 43 event: component_status up",
    "id: 44 event: component_status down",
  ]);
  assert.deepEqual(reads, { latest: 1, after: 2 });
  s.close();
});

Deno.test("PublicStreams replays from the log what is more than a page keeps", async () => {
  const many = Array.from({ length: 700 }, (_, i) => check(i + 1, "m1", i % 2 === 1));
  const s = new PublicStreams({
    eventLog: memoryEventLog(many),
    resolvePage: () => Promise.resolve(page()),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
    clientBuffer: 10_000,
  });
  const viewer = (await s.open("acme", 0))!;
  const frames = await framesUntil(viewer, (t) => t.includes("id: 700\n"));
  assert.equal(frames.length, 700);
  assert.equal(frames[0], "id: 1 event: component_status down");
  assert.equal(frames[699], "id: 700 event: component_status up");
  s.close();
});

Deno.test("PublicStreams replays a frame without an id to a viewer that comes back from before it", async () => {
  const reads: (() => Promise<PublicPageView>)[] = [() => Promise.resolve(page())];
  const s = new PublicStreams({
    eventLog: memoryEventLog(log),
    resolvePage: () => reads.shift()!(),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  const first = (await s.open("acme", null))!;
  await new Promise((r) => setTimeout(r, 10)); // the tenant's latest id (43) is read
  // A window starts while a second viewer is away (it last saw event 43).
  const maintenance = page();
  maintenance.statuses.set("m1", "maintenance");
  reads.push(() => Promise.resolve(maintenance));
  s.refreshTenant(TENANT);
  assert.deepEqual(await framesUntil(first, (t) => t.includes("maintenance")), [
    "event: component_status maintenance",
  ]);
  const back = (await s.open("acme", 43))!;
  s.publish(check(44, "other", true)); // a later event: the witness that the replay is over
  s.publish(check(45, "m1", false));
  assert.deepEqual(await framesUntil(back, (t) => t.includes("id: 45")), [
    "event: component_status maintenance",
    "id: 45 event: component_status down",
  ]);
  s.close();
});

Deno.test("PublicStreams.catchUp() offers what the bus missed, and the next replay reads the log", async () => {
  const stored = [...log];
  const { log: eventLog, reads } = counted(stored);
  const s = new PublicStreams({
    eventLog,
    resolvePage: () => Promise.resolve(page()),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  const viewer = (await s.open("acme", null))!;
  await new Promise((r) => setTimeout(r, 10)); // the tenant's latest id (43) is read
  stored.push(check(44, "m1", false));
  s.publish(stored[43]); // through the bus
  // 45 and 46 were committed while the bus was away: only the log has them.
  stored.push(check(45, "m1", true), check(46, "m1", false));
  await s.catchUp();
  assert.deepEqual(await framesUntil(viewer, (t) => t.includes("id: 46")), [
    "id: 44 event: component_status down",
    "id: 45 event: component_status up",
    "id: 46 event: component_status down",
  ]);
  const before = reads.after;
  const back = (await s.open("acme", 43))!;
  assert.deepEqual(await framesUntil(back, (t) => t.includes("id: 46")), [
    "id: 44 event: component_status down",
    "id: 45 event: component_status up",
    "id: 46 event: component_status down",
  ]);
  assert.equal(reads.after, before + 1, "the kept frames were forgotten: the log is read");
  s.close();
});

Deno.test("PublicStreams: a live event past a hole (the bus missed events) resets the viewers and renews the page", async () => {
  // The page shows m1 as c1 and m2 as c2; its view, when read, is the log's latest check of each.
  const stored = [...log];
  let viewsRead = 0;
  const view = (): PublicPageView => {
    viewsRead++;
    const latest = new Map<string, string>([["m1", "up"], ["m2", "up"]]);
    for (const e of stored) {
      if (e.type === "monitor_check" && latest.has(e.data.monitor_id)) {
        latest.set(e.data.monitor_id, e.data.success ? "up" : "down");
      }
    }
    return { ...page(), components: new Map([["m1", "c1"], ["m2", "c2"]]), statuses: latest };
  };
  const s = new PublicStreams({
    eventLog: memoryEventLog(stored),
    resolvePage: () => Promise.resolve(view()),
    log: createLogger("error", () => {}),
    heartbeatSeconds: 3600,
  });
  // A viewer back from 42: the page's kept frames are filled from the log, complete after 42.
  const viewer = (await s.open("acme", 42))!;
  await new Promise((r) => setTimeout(r, 10));
  stored.push(check(44, "m1", false));
  s.publish(stored[43]);
  assert.equal(viewsRead, 1, "a live event that follows the last one renews nothing");
  // 45 (m2 down) and 46 (m1 up) were missed; the bus is back, and 47 (m1 down) reaches it
  // before the catch-up reads: 45 and 46 can no longer be sent in order.
  stored.push(check(45, "m2", false), check(46, "m1", true), check(47, "m1", false));
  s.publish(stored[46]);
  await s.catchUp();
  const reader = viewer.getReader();
  let text = "";
  while (!text.includes('"c2"')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const frames = text.split("\n\n").filter((f) => f && !f.startsWith("retry:"));
  const head = (f: string) =>
    f.split("\n").filter((l) => l.startsWith("id:") || l.startsWith("event:")).join(" ");
  assert.deepEqual(frames.map(head), [
    "id: 43 event: component_status",
    "id: 44 event: component_status",
    "event: reset",
    "event: component_status",
  ]);
  // m2's change reached the live viewer as the page's view now; m1's (47: down) was already sent.
  const renewed = JSON.parse(frames[3].split("\n").find((l) => l.startsWith("data: "))!.slice(6));
  assert.deepEqual([renewed.component_id, renewed.status], ["c2", "down"]);
  // One that comes back from 43 gets every change in order: from the log, not the kept frames.
  const back = (await s.open("acme", 43))!;
  assert.deepEqual(await framesUntil(back, (t) => t.includes("id: 47")), [
    "id: 44 event: component_status down",
    "id: 45 event: component_status down",
    "id: 46 event: component_status up",
    "id: 47 event: component_status down",
  ]);
  s.close();
});
