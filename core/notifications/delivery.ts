import { iso } from "../db/rows.ts";

/** Why a delivery was made. */
export type DeliveryKind =
  | "incident_opened"
  | "incident_resolved"
  | "reminder"
  | "test"
  | "grouped";

/** A delivery as API.md shows it. */
export interface Delivery {
  id: string;
  channel_id: string;
  incident_id: string | null;
  kind: DeliveryKind;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  response_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
}

/** The columns {@linkcode deliveryFromRow} reads. */
export const DELIVERY_COLUMNS =
  "id, channel_id, incident_id, kind, status, attempts, response_status, last_error, created_at, delivered_at, next_attempt_at";

/** Maps a `deliveries` row to its API shape; a finished delivery has no next attempt. */
export function deliveryFromRow(row: Record<string, unknown>): Delivery {
  const status = row.status as Delivery["status"];
  return {
    id: row.id as string,
    channel_id: row.channel_id as string,
    incident_id: (row.incident_id as string | null) ?? null,
    kind: row.kind as DeliveryKind,
    status,
    attempts: Number(row.attempts),
    response_status: (row.response_status as number | null) ?? null,
    last_error: (row.last_error as string | null) ?? null,
    created_at: iso(row.created_at) as string,
    delivered_at: iso(row.delivered_at),
    next_attempt_at: status === "pending" ? iso(row.next_attempt_at) : null,
  };
}
