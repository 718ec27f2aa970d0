/**
 * Row helpers shared by every query module: timestamps to RFC 3339, the
 * canonical UUID form of ids (API.md: anything else is "not found"), and which
 * ids in a body are not the tenant's.
 */
import type { Queryable } from "./database.ts";

/** A canonical, lower-case UUID. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `id` is a canonical UUID; anything else is treated as not found. */
export function isUuid(id: string): boolean {
  return UUID_PATTERN.test(id);
}

/** A timestamp column (a Date, or already a string) as RFC 3339, or `null`. */
export function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
}

/** The ids among `ids` that are not rows of `table` belonging to the tenant. */
export async function foreignIds(
  db: Queryable,
  table: "monitors" | "notification_channels",
  tenantId: number,
  ids: string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string }>(
    `SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`,
    [tenantId, ids],
  );
  const own = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !own.has(id));
}
