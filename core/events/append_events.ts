import type { Queryable } from "../db/database.ts";
import type { EventBody, StoredEvent } from "./envelope.ts";

/** The LISTEN/NOTIFY channel carrying new events to every instance. */
export const EVENTS_CHANNEL = "vinsight_events";

/** NOTIFY payloads must stay under 8000 bytes; larger events travel by id only. */
const MAX_NOTIFY_DATA = 7000;

/**
 * Appends many events, in the given order per tenant, inside the caller's
 * transaction: the tenants' rows are locked in id order with `FOR NO KEY
 * UPDATE`, so concurrent writers cannot deadlock, neither with each other nor
 * with an insert that holds `FOR KEY SHARE` on the tenant through a foreign
 * key (an incident). Each tenant's sequence moves forward by its count in one
 * statement, and the events are inserted and notified in one more. Ids rise
 * strictly per tenant in commit order.
 */
export async function appendEvents(
  tx: Queryable,
  events: { tenantId: number; event: EventBody }[],
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  const counts = new Map<number, number>();
  for (const e of events) counts.set(e.tenantId, (counts.get(e.tenantId) ?? 0) + 1);
  const tenants = [...counts.keys()].sort((a, b) => a - b);
  const rows = await tx.query<{ id: number; seq: number }>(
    `WITH locked AS (
       SELECT id FROM tenants WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE
     ), bump AS (
       SELECT unnest($1::int[]) AS id, unnest($2::int[]) AS n
     )
     UPDATE tenants t SET event_seq = t.event_seq + bump.n
     FROM bump, locked WHERE t.id = bump.id AND locked.id = t.id
     RETURNING t.id, t.event_seq AS seq`,
    [tenants, tenants.map((t) => counts.get(t)!)],
  );
  const next = new Map<number, number>();
  for (const r of rows) next.set(r.id, Number(r.seq) - counts.get(r.id)! + 1);
  const stored: StoredEvent[] = [];
  for (const { tenantId, event } of events) {
    const id = next.get(tenantId);
    if (id === undefined) {
      throw new RangeError(`Cannot append event: tenant ${tenantId} does not exist`);
    }
    next.set(tenantId, id + 1);
    stored.push({ ...event, id, tenant_id: tenantId } as StoredEvent);
  }
  const data = stored.map((e) => JSON.stringify(e.data));
  const payloads = stored.map((e, i) =>
    data[i].length <= MAX_NOTIFY_DATA
      ? `{"id":${e.id},"tenant_id":${e.tenant_id},"type":"${e.type}","data":${data[i]}}`
      : JSON.stringify({ id: e.id, tenant_id: e.tenant_id, truncated: true })
  );
  // A data-modifying WITH runs once, in full, though nothing reads it.
  await tx.query(
    `WITH inserted AS (
       INSERT INTO events (tenant_id, id, type, data)
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::text[]::jsonb[])
     )
     SELECT pg_notify($5, p) FROM unnest($6::text[]) WITH ORDINALITY AS u(p, n) ORDER BY n`,
    [
      stored.map((e) => e.tenant_id),
      stored.map((e) => e.id),
      stored.map((e) => e.type),
      data,
      EVENTS_CHANNEL,
      payloads,
    ],
  );
  return stored;
}
