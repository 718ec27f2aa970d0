import type { Queryable } from "../db/database.ts";
import type { EventBody, StoredEvent } from "./envelope.ts";
import { appendEvents } from "./append_events.ts";

export { EVENTS_CHANNEL } from "./append_events.ts";

/** Reads the event log for replay: what the SSE hub needs of it. */
export interface EventLogReader {
  /** Events after `afterId`, in order, at most `limit`. */
  readAfter(tenantId: number, afterId: number, limit: number): Promise<StoredEvent[]>;
  /** Whether every event after `afterId` is still in the log. */
  canReplayFrom(tenantId: number, afterId: number): Promise<boolean>;
  /** The tenant's latest event id (0 when none). */
  latestId(tenantId: number): Promise<number>;
}

/** Events are kept at least this long (API.md: 24 hours). */
export const EVENT_RETENTION_HOURS = 24;

/**
 * Appends one event to the tenant's log inside the caller's transaction; see
 * {@linkcode appendEvents} for the guarantees.
 */
export async function appendEvent(
  tx: Queryable,
  tenantId: number,
  event: EventBody,
): Promise<StoredEvent> {
  const [stored] = await appendEvents(tx, [{ tenantId, event }]);
  return stored;
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

/** The tenant's latest event id (0 when none). */
export async function latestEventId(db: Queryable, tenantId: number): Promise<number> {
  const rows = await db.query<{ seq: number }>(
    "SELECT event_seq AS seq FROM tenants WHERE id = $1",
    [tenantId],
  );
  return Number(rows[0]?.seq ?? 0);
}

/** The {@linkcode EventLogReader} over the database. */
export function databaseEventLog(db: Queryable): EventLogReader {
  return {
    readAfter: (tenantId, afterId, limit) => readEventsAfter(db, tenantId, afterId, { limit }),
    canReplayFrom: (tenantId, afterId) => canReplayFrom(db, tenantId, afterId),
    latestId: (tenantId) => latestEventId(db, tenantId),
  };
}
