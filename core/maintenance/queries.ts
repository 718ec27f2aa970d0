import type { Queryable } from "../db/database.ts";
import { isUuid } from "../db/rows.ts";
import {
  MAINTENANCE_COLUMNS,
  maintenanceFromRow,
  type MaintenanceWindow,
} from "./maintenance_window.ts";
import type { MaintenanceInput, MaintenancePatch } from "./schema.ts";

/** The windows of the given tenants (for storing results and planning notifications). */
export async function windowsOf(
  db: Queryable,
  tenantIds: number[],
): Promise<(MaintenanceWindow & { tenant_id: number })[]> {
  if (tenantIds.length === 0) return [];
  const rows = await db.query(
    `SELECT ${MAINTENANCE_COLUMNS}, tenant_id FROM maintenance_windows
     WHERE tenant_id = ANY($1::int[])`,
    [tenantIds],
  );
  return rows.map((r) => ({ ...maintenanceFromRow(r), tenant_id: r.tenant_id as number }));
}

/** Lists a tenant's windows, by start. */
export async function listWindows(db: Queryable, tenantId: number): Promise<MaintenanceWindow[]> {
  const rows = await db.query(
    `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance_windows WHERE tenant_id = $1 ORDER BY starts_at, id`,
    [tenantId],
  );
  return rows.map((r) => maintenanceFromRow(r));
}

/** One window of the tenant, or `null`. */
export async function getWindow(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<MaintenanceWindow | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.query(
    `SELECT ${MAINTENANCE_COLUMNS} FROM maintenance_windows WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return row ? maintenanceFromRow(row) : null;
}

/** Creates a window. */
export async function createWindow(
  db: Queryable,
  tenantId: number,
  input: MaintenanceInput,
): Promise<MaintenanceWindow> {
  const [row] = await db.query(
    `INSERT INTO maintenance_windows (tenant_id, title, message, monitor_ids, starts_at, ends_at, recurrence,
       mute_notifications, exclude_from_uptime)
     VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7::text::jsonb, $8, $9) RETURNING ${MAINTENANCE_COLUMNS}`,
    [
      tenantId,
      input.title,
      input.message,
      [...new Set(input.monitor_ids)],
      input.starts_at,
      input.ends_at,
      input.recurrence ? JSON.stringify(input.recurrence) : null,
      input.mute_notifications,
      input.exclude_from_uptime,
    ],
  );
  return maintenanceFromRow(row);
}

/** Updates the given fields; `null` when absent. */
export async function updateWindow(
  db: Queryable,
  tenantId: number,
  id: string,
  patch: MaintenancePatch,
): Promise<MaintenanceWindow | null> {
  if (!isUuid(id)) return null;
  const sets: string[] = [];
  const params: unknown[] = [tenantId, id];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === "recurrence") {
      sets.push(
        `recurrence = $${params.push(value === null ? null : JSON.stringify(value))}::text::jsonb`,
      );
    } else if (key === "monitor_ids") {
      sets.push(`monitor_ids = $${params.push([...new Set(value as string[])])}::uuid[]`);
    } else {
      sets.push(`${key} = $${params.push(value)}`);
    }
  }
  if (sets.length === 0) return await getWindow(db, tenantId, id);
  const [row] = await db.query(
    `UPDATE maintenance_windows SET ${sets.join(", ")} WHERE tenant_id = $1 AND id = $2
     RETURNING ${MAINTENANCE_COLUMNS}`,
    params,
  );
  return row ? maintenanceFromRow(row) : null;
}

/** Deletes a window; false when absent. */
export async function deleteWindow(db: Queryable, tenantId: number, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM maintenance_windows WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, id],
  );
  return rows.length > 0;
}
