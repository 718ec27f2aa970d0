import type { Queryable } from "../db/database.ts";
import type { EventBody, StoredEvent } from "./envelope.ts";

/** The LISTEN/NOTIFY channel carrying new events to every instance. */
export const EVENTS_CHANNEL = "vinsight_events";

/** Events are kept at least this long (API.md: 24 hours). */
export const EVENT_RETENTION_HOURS = 24;

/** NOTIFY payloads must stay under 8000 bytes; larger events travel by id only. */
const MAX_NOTIFY_DATA = 7000;

/**
 * Appends an event to the tenant's log inside the caller's transaction. The id
 * is the tenant's next sequence number, taken under the tenant row's lock, so
 * ids rise strictly in commit order; `pg_notify` is delivered at commit.
 */
export async function appendEvent(
  tx: Queryable,
  tenantId: number,
  event: EventBody,
): Promise<StoredEvent> {
  const data = JSON.stringify(event.data);
  const rows = await tx.query<{ id: number }>(
    `WITH seq AS (
       UPDATE tenants SET event_seq = event_seq + 1 WHERE id = $1 RETURNING event_seq
     ), ins AS (
       INSERT INTO events (tenant_id, id, type, data)
       SELECT $1, event_seq, $2, $3::text::jsonb FROM seq RETURNING id
     )
     SELECT id, pg_notify($4, CASE WHEN length($3::text) <= ${MAX_NOTIFY_DATA}
       THEN json_build_object('id', id, 'tenant_id', $1::int, 'type', $2::text, 'data', $3::text::json)::text
       ELSE json_build_object('id', id, 'tenant_id', $1::int, 'truncated', true)::text END)
     FROM ins`,
    [tenantId, event.type, data, EVENTS_CHANNEL],
  );
  if (!rows[0]) {
    throw new RangeError(
      `Cannot append event: tenant ${tenantId} does not exist`,
    );
  }
  return {
    ...event,
    id: Number(rows[0].id),
    tenant_id: tenantId,
  } as StoredEvent;
}

function eventFromRow(row: Record<string, unknown>): StoredEvent {
  return {
    id: Number(row.id),
    tenant_id: row.tenant_id as number,
    type: row.type,
    data: row.data,
  } as StoredEvent;
}

/** Events of a tenant with `afterId < id <= upTo`, in order, at most `limit`. */
export async function readEventsAfter(
  db: Queryable,
  tenantId: number,
  afterId: number,
  opts: { limit?: number; upTo?: number } = {},
): Promise<StoredEvent[]> {
  const rows = await db.query(
    `SELECT tenant_id, id, type, data FROM events
     WHERE tenant_id = $1 AND id > $2 AND ($3::bigint IS NULL OR id <= $3)
     ORDER BY id LIMIT $4`,
    [tenantId, afterId, opts.upTo ?? null, opts.limit ?? 1000],
  );
  return rows.map(eventFromRow);
}

/**
 * Whether the log can replay everything after `afterId` for the tenant: false
 * when events after it were already pruned, or the id is from the future
 * (another database, a reset sequence).
 */
export async function canReplayFrom(
  db: Queryable,
  tenantId: number,
  afterId: number,
): Promise<boolean> {
  const rows = await db.query<{ seq: number; first: number | null }>(
    `SELECT t.event_seq AS seq, (SELECT min(id) FROM events e WHERE e.tenant_id = t.id) AS first
     FROM tenants t WHERE t.id = $1`,
    [tenantId],
  );
  const row = rows[0];
  if (!row) return false;
  const seq = Number(row.seq);
  if (afterId > seq) return false;
  if (afterId === seq) return true;
  return row.first !== null && Number(row.first) <= afterId + 1;
}

/** Deletes events older than the retention; returns how many. */
export async function pruneEvents(db: Queryable): Promise<number> {
  const rows = await db.query(
    `DELETE FROM events WHERE created_at < now() - make_interval(hours => $1) RETURNING 1`,
    [EVENT_RETENTION_HOURS],
  );
  return rows.length;
}
