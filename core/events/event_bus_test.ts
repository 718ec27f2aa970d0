import assert from "node:assert/strict";
import type { Database } from "../db/database.ts";
import type { StoredEvent } from "./envelope.ts";
import { listenForEvents } from "./event_bus.ts";

function check(id: number, tenant = 1): StoredEvent {
  return {
    id,
    tenant_id: tenant,
    type: "monitor_check",
    data: {
      monitor_id: "m",
      monitor_name: "M",
      success: true,
      status_code: 200,
      response_time_ms: 5,
      error_message: null,
      ssl_valid: null,
      ssl_expires_at: null,
      checked_at: "2026-12-01T00:00:00.000Z",
    },
  };
}

/** A database whose event log answers when `release` is called, and whose listener is ours. */
function fakeDb(log: StoredEvent[]) {
  let notify: (payload: string) => void = () => {};
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const db = {
    kind: "pglite",
    async query(_sql: string, params: unknown[] = []) {
      await gate;
      const [tenant, after, upTo] = params as number[];
      return log.filter((e) => e.tenant_id === tenant && e.id > after && e.id <= upTo)
        .map((e) => ({ ...e }));
    },
    listen(_channel: string, onMessage: (payload: string) => void) {
      notify = onMessage;
      return Promise.resolve(() => Promise.resolve());
    },
  } as unknown as Database;
  return { db, notify: (p: unknown) => notify(JSON.stringify(p)), release };
}

Deno.test("listenForEvents() keeps a tenant's order behind a truncated notification", async () => {
  const big = check(2);
  const { db, notify, release } = fakeDb([big]);
  const seen: number[] = [];
  await listenForEvents(db, (e) => seen.push(e.id), () => {});
  notify(check(1));
  notify({ id: 2, tenant_id: 1, truncated: true });
  notify(check(3));
  notify(check(9, 2)); // another tenant does not wait
  assert.deepEqual(seen, [1, 9]);
  release();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(seen, [1, 9, 2, 3]);
});

Deno.test("listenForEvents() skips a malformed payload and says so", async () => {
  const { db, notify } = fakeDb([]);
  const seen: number[] = [];
  const errors: unknown[] = [];
  await listenForEvents(db, (e) => seen.push(e.id), () => {}, { onError: (e) => errors.push(e) });
  notify({ id: 1, tenant_id: 1, type: "monitor_check", data: { monitor_id: 5 } });
  notify(check(2));
  assert.deepEqual(seen, [2]);
  assert.equal(errors.length, 1);
});
