import type { IncidentChange } from "../alerts/apply_rules.ts";
import { inMaintenance } from "../maintenance/maintenance_window.ts";
import { windowsOf } from "../maintenance/queries.ts";
import type { Database, Queryable } from "../db/database.ts";
import { isUuid } from "../db/rows.ts";
import type { ChannelForSending } from "./channel.ts";
import { HUMAN_TYPES } from "./channel.ts";
import { channelForSending } from "./channels.ts";
import { type Delivery, DELIVERY_COLUMNS, deliveryFromRow, type DeliveryKind } from "./delivery.ts";
import type { NotificationPayload } from "./payload.ts";
import { nextAttemptAt, RETRY_SCHEDULE_MS, type SendResult } from "./retry_policy.ts";

/** An incident that opened or resolved, to be told to the rule's channels. */
export type IncidentHappening = IncidentChange;

/**
 * Writes one delivery per channel per happening, inside the caller's
 * transaction (the one that opens or resolves the incidents), so a
 * notification exists exactly when its incident does. A rule's
 * `channel_ids`, or without any the tenant's `is_default` channels; disabled
 * channels get none. Answers how many deliveries were written.
 */
export async function enqueueIncidentNotifications(
  tx: Queryable,
  happenings: readonly IncidentHappening[],
): Promise<number> {
  if (happenings.length === 0) return 0;
  const rows = await tx.query(
    `INSERT INTO deliveries (tenant_id, channel_id, incident_id, kind, payload)
     SELECT h.tenant_id, c.id, h.incident_id, h.kind,
       h.payload || jsonb_build_object('tenant', jsonb_build_object('id', t.id, 'name', t.name))
     FROM jsonb_to_recordset($1::text::jsonb)
       AS h(tenant_id int, incident_id uuid, kind text, channel_ids uuid[], payload jsonb)
     JOIN tenants t ON t.id = h.tenant_id
     JOIN notification_channels c ON c.tenant_id = h.tenant_id AND c.enabled
       AND CASE WHEN cardinality(h.channel_ids) > 0 THEN c.id = ANY(h.channel_ids) ELSE c.is_default END
     RETURNING 1`,
    [JSON.stringify(happenings.map((h) => ({
      tenant_id: h.tenantId,
      incident_id: h.incident.id,
      kind: h.kind,
      channel_ids: h.channelIds,
      payload: {
        event: h.kind === "incident_opened" ? "incident.opened" : "incident.resolved",
        incident: h.incident,
        monitor: h.monitor,
        rule: h.rule,
        error: h.error,
      },
    })))],
  );
  return rows.length;
}

/**
 * Writes `reminder` deliveries for open incidents whose rule has
 * `reminder_minutes` and that last notified at least that long ago. The
 * incident's `notified_at` moves in the same transaction, conditionally, so
 * two instances planning at once write each reminder once. A monitor inside a
 * muting maintenance window gets no reminder (its period starts over).
 */
export async function enqueueReminders(db: Database, minuteMs = 60_000): Promise<number> {
  return await db.transaction(async (tx) => {
    const due = await tx.query<{ id: string; tenant_id: number; monitor_id: string }>(
      `UPDATE incidents i SET notified_at = now()
       FROM alert_rules r
       WHERE i.status = 'open' AND i.alert_rule_id = r.id AND r.reminder_minutes IS NOT NULL
         AND coalesce(i.notified_at, i.opened_at)
           <= now() - make_interval(secs => r.reminder_minutes * $1::float8 / 1000)
       RETURNING i.id, i.tenant_id, i.monitor_id`,
      [minuteMs],
    );
    if (due.length === 0) return 0;
    const windows = await windowsOf(tx, [...new Set(due.map((d) => d.tenant_id))]);
    const now = Date.now();
    const remind = due.filter((d) =>
      !inMaintenance(windows, d.monitor_id, now, "mute_notifications")
    );
    if (remind.length === 0) return 0;
    const rows = await tx.query(
      `INSERT INTO deliveries (tenant_id, channel_id, incident_id, kind, payload)
       SELECT i.tenant_id, c.id, i.id, 'reminder', jsonb_build_object(
           'event', 'incident.reminder',
           'incident', jsonb_build_object('id', i.id, 'monitor_id', i.monitor_id,
             'alert_rule_id', i.alert_rule_id, 'rule_name', i.rule_name, 'status', i.status,
             'trigger_value', i.trigger_value,
             'opened_at', to_char(i.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
             'resolved_at', NULL),
           'monitor', jsonb_build_object('id', m.id, 'name', m.name, 'url', m.url),
           'rule', jsonb_build_object('id', i.alert_rule_id, 'name', r.name, 'condition', r.condition),
           'tenant', jsonb_build_object('id', t.id, 'name', t.name),
           'error', m.last_check->>'error_message')
       FROM incidents i
       JOIN alert_rules r ON r.id = i.alert_rule_id
       JOIN monitors m ON m.id = i.monitor_id
       JOIN tenants t ON t.id = i.tenant_id
       JOIN notification_channels c ON c.tenant_id = i.tenant_id AND c.enabled
         AND CASE WHEN cardinality(r.channel_ids) > 0 THEN c.id = ANY(r.channel_ids)
           ELSE c.is_default END
       WHERE i.id = ANY($1::uuid[])
       RETURNING 1`,
      [remind.map((d) => d.id)],
    );
    return rows.length;
  });
}

/** Writes a `test` delivery for a channel of the tenant; `null` when it is not theirs. */
export async function enqueueTest(
  db: Queryable,
  tenantId: number,
  channelId: string,
): Promise<string | null> {
  if (!isUuid(channelId)) return null;
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO deliveries (tenant_id, channel_id, kind, payload)
     SELECT c.tenant_id, c.id, 'test', jsonb_build_object(
       'event', 'test', 'incident', NULL, 'monitor', NULL, 'rule', NULL, 'error', NULL,
       'tenant', jsonb_build_object('id', t.id, 'name', t.name))
     FROM notification_channels c JOIN tenants t ON t.id = c.tenant_id
     WHERE c.tenant_id = $1 AND c.id = $2
     RETURNING id`,
    [tenantId, channelId],
  );
  return row?.id ?? null;
}

/** A claimed delivery, ready to send. */
export interface ClaimedDelivery {
  id: string;
  kind: DeliveryKind;
  payload: NotificationPayload;
  attempts: number;
  createdAt: number;
  channel: ChannelForSending;
}

/** Options of {@linkcode claimDeliveries}. */
export interface ClaimOptions {
  limit: number;
  /** How long the claim holds before another instance may send the row. */
  leaseMs: number;
  /** A human channel takes this many single messages per window; the rest are grouped. @default 5 */
  burst?: number;
  /** @default 10_000 */
  windowMs?: number;
}

function claimedFromRow(row: Record<string, unknown>): ClaimedDelivery {
  return {
    id: row.id as string,
    kind: row.kind as DeliveryKind,
    payload: row.payload as NotificationPayload,
    attempts: Number(row.attempts),
    createdAt: new Date(row.created_at as string).getTime(),
    channel: channelForSending(row),
  };
}

const CLAIM_SELECT = `SELECT d.id, d.kind, d.payload, d.attempts,
    coalesce(d.retried_at, d.created_at) AS created_at, d.channel_id,
    c.tenant_id, c.name AS channel_name, c.type, c.config, c.secret, c.enabled
  FROM deliveries d JOIN notification_channels c ON c.id = d.channel_id`;

/**
 * Claims due deliveries for this instance: rows locked by another instance
 * are skipped, and each claimed row gets a lease and one more attempt, so an
 * instance that dies mid-send leaves its rows to another once the lease ends
 * (sent again with the same id). For a human channel, at most `burst` single
 * messages go out per window; the rest of a burst (every due row of that
 * channel, not only the claimed ones) becomes one `grouped` delivery, and
 * while a group went out within the window, later rows wait for the next.
 */
export async function claimDeliveries(
  db: Database,
  opts: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  const burst = opts.burst ?? 5;
  const windowMs = opts.windowMs ?? 10_000;
  return await db.transaction(async (tx) => {
    const rows = await tx.query(
      `${CLAIM_SELECT}
       WHERE d.status = 'pending' AND d.group_id IS NULL AND d.next_attempt_at <= now()
         AND (d.claimed_until IS NULL OR d.claimed_until < now())
       ORDER BY d.next_attempt_at, d.created_at LIMIT $1
       FOR UPDATE OF d SKIP LOCKED`,
      [opts.limit],
    );
    const send: string[] = [];
    const byChannel = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      if (!HUMAN_TYPES.has(row.type as never) || row.kind === "grouped" || row.kind === "test") {
        send.push(row.id as string);
        continue;
      }
      const list = byChannel.get(row.channel_id as string) ?? [];
      list.push(row);
      byChannel.set(row.channel_id as string, list);
    }
    const groups: string[] = [];
    for (const [channelId, list] of byChannel) {
      const [recent] = await tx.query<{ singles: number; last_group: string | null }>(
        `SELECT count(*) FILTER (WHERE kind <> 'grouped')::int AS singles,
           max(first_attempt_at) FILTER (WHERE kind = 'grouped') AS last_group
         FROM deliveries WHERE channel_id = $1 AND group_id IS NULL
           AND first_attempt_at > now() - make_interval(secs => $2::float8 / 1000)`,
        [channelId, windowMs],
      );
      const allowance = Math.max(0, burst - recent.singles);
      send.push(...list.slice(0, allowance).map((r) => r.id as string));
      const rest = list.slice(allowance).map((r) => r.id as string);
      if (rest.length === 0) continue;
      if (recent.last_group !== null) {
        // One group per window: the rest waits for the next window.
        await tx.query(
          `UPDATE deliveries SET next_attempt_at = $2::timestamptz + make_interval(secs => $3::float8 / 1000)
           WHERE id = ANY($1::uuid[])`,
          [rest, recent.last_group, windowMs],
        );
        continue;
      }
      const [group] = await tx.query<{ id: string }>(
        `INSERT INTO deliveries (tenant_id, channel_id, kind, payload)
         SELECT c.tenant_id, c.id, 'grouped', '{}'::jsonb FROM notification_channels c WHERE c.id = $1
         RETURNING id`,
        [channelId],
      );
      // Every other due row of the channel joins the group too, not only the claimed ones.
      const members = await tx.query<{ payload: NotificationPayload }>(
        `UPDATE deliveries SET group_id = $2 WHERE id IN (
           SELECT id FROM deliveries
           WHERE (id = ANY($1::uuid[]) OR (channel_id = $3 AND status = 'pending' AND group_id IS NULL
             AND kind <> 'grouped' AND kind <> 'test' AND next_attempt_at <= now()
             AND (claimed_until IS NULL OR claimed_until < now())))
             AND id <> ALL($4::uuid[])
           ORDER BY created_at
           FOR UPDATE SKIP LOCKED
         ) RETURNING payload`,
        [rest, group.id, channelId, send],
      );
      await tx.query(
        `UPDATE deliveries SET payload = jsonb_build_object('event', 'incident.opened', 'items', $2::text::jsonb,
           'incident', NULL, 'monitor', NULL, 'rule', NULL, 'error', NULL, 'tenant', $3::text::jsonb)
         WHERE id = $1`,
        [
          group.id,
          JSON.stringify(members.map((m) => m.payload)),
          JSON.stringify(members[0]?.payload.tenant ?? {}),
        ],
      );
      groups.push(group.id);
    }
    const ids = [...send, ...groups];
    if (ids.length === 0) return [];
    const claimed = await tx.query(
      `WITH leased AS (
         UPDATE deliveries SET claimed_until = now() + make_interval(secs => $2::float8 / 1000),
           attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, now())
         WHERE id = ANY($1::uuid[]) RETURNING *
       )
       ${CLAIM_SELECT.replace("FROM deliveries d", "FROM leased d")}`,
      [ids, opts.leaseMs],
    );
    return claimed.map(claimedFromRow);
  });
}

/**
 * Records what an attempt came to: delivered; or due again by the retry
 * policy (`Retry-After` honoured); or failed, at once for a final answer and
 * after 24 hours otherwise. A grouped delivery's members follow it.
 * Answers the delivery's status now.
 */
export async function recordAttempt(
  db: Database,
  delivery: ClaimedDelivery,
  result: SendResult,
  opts: { schedule?: readonly number[]; now?: number } = {},
): Promise<"delivered" | "pending" | "failed"> {
  const now = opts.now ?? Date.now();
  let status: "delivered" | "pending" | "failed";
  let next: number | null = null;
  if (result.ok) status = "delivered";
  else {
    next = nextAttemptAt(
      result,
      delivery.attempts,
      delivery.createdAt,
      now,
      opts.schedule ?? RETRY_SCHEDULE_MS,
    );
    status = next === null ? "failed" : "pending";
  }
  await db.transaction(async (tx) => {
    await tx.query(
      `UPDATE deliveries SET status = $2, response_status = $3, last_error = $4,
         delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END,
         next_attempt_at = coalesce($5::timestamptz, next_attempt_at), claimed_until = NULL
       WHERE id = $1`,
      [
        delivery.id,
        status,
        result.status,
        result.ok ? null : result.error,
        next === null ? null : new Date(next).toISOString(),
      ],
    );
    if (delivery.kind === "grouped" && status !== "pending") {
      await tx.query(
        `UPDATE deliveries SET status = $2, response_status = $3, last_error = $4, attempts = attempts + 1,
           delivered_at = CASE WHEN $2 = 'delivered' THEN now() ELSE delivered_at END
         WHERE group_id = $1`,
        [delivery.id, status, result.status, result.ok ? null : result.error],
      );
    }
  });
  return status;
}

/** A failed delivery made due again, same id: `"missing"`, `"not_failed"` or `"queued"`. */
export async function retryDelivery(
  db: Database,
  tenantId: number,
  id: string,
): Promise<"missing" | "not_failed" | "queued"> {
  if (!isUuid(id)) return "missing";
  return await db.transaction(async (tx) => {
    const [row] = await tx.query<{ status: string; group_id: string | null }>(
      "SELECT status, group_id FROM deliveries WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
      [tenantId, id],
    );
    if (!row) return "missing";
    if (row.status !== "failed") return "not_failed";
    await tx.query(
      `UPDATE deliveries SET status = 'pending', next_attempt_at = now(), claimed_until = NULL,
         retried_at = now(), group_id = NULL
       WHERE id = $1`,
      [id],
    );
    await tx.query("UPDATE deliveries SET status = 'pending' WHERE group_id = $1", [id]);
    return "queued";
  });
}

/** A channel's deliveries, newest first. */
export async function listDeliveries(
  db: Queryable,
  tenantId: number,
  channelId: string,
  limit: number,
): Promise<Delivery[]> {
  const rows = await db.query(
    `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE tenant_id = $1 AND channel_id = $2
     ORDER BY created_at DESC, id DESC LIMIT $3`,
    [tenantId, channelId, limit],
  );
  return rows.map(deliveryFromRow);
}

/** Deliveries waiting to go out (grouped members counted through their group). */
export async function queueDepth(db: Queryable): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending' AND group_id IS NULL",
  );
  return row?.n ?? 0;
}
