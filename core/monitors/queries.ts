import type { Database, Queryable } from "../db/database.ts";
import { foreignIds, isUuid } from "../db/rows.ts";
import { type Monitor, MONITOR_COLUMNS as COLUMNS, monitorFromRow } from "./monitor.ts";
import type { MonitorInput, MonitorPatch } from "./schema.ts";

/** Thrown by {@linkcode createMonitor} when the tenant holds its maximum of monitors. */
export class MonitorQuotaError extends Error {
  override name = "MonitorQuotaError";
}

/** Columns stored as JSON. */
const JSON_COLUMNS = new Set(["headers", "json_assertion"]);

/** `$n`, with a cast for JSON columns. */
function placeholder(name: string, n: number): string {
  return JSON_COLUMNS.has(name) ? `$${n}::text::jsonb` : `$${n}`;
}

/** A value as its column takes it. */
function columnValue(name: string, value: unknown): unknown {
  return JSON_COLUMNS.has(name) ? JSON.stringify(value) : value;
}

/** The columns of a new monitor of any kind; a push monitor gets its secret token. */
function columnsOf(input: MonitorInput): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) fields[k] = columnValue(k, v);
  if (input.type === "push") {
    fields.push_token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(18))))
      .replaceAll("+", "-").replaceAll("/", "_");
  }
  return fields;
}

/** A monitor's stored request headers (values unmasked), for merging a PATCH. */
export async function storedHeaders(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<Record<string, string>> {
  if (!isUuid(id)) return {};
  const [row] = await db.query<{ headers: Record<string, string> | null }>(
    "SELECT headers FROM monitors WHERE tenant_id = $1 AND id = $2",
    [tenantId, id],
  );
  return row?.headers ?? {};
}

/** Lists a tenant's monitors, oldest first. */
export async function listMonitors(
  db: Queryable,
  tenantId: number,
): Promise<Monitor[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM monitors WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  return rows.map(monitorFromRow);
}

/** One monitor of the tenant, or `null`. */
export async function getMonitor(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<Monitor | null> {
  if (!isUuid(id)) return null;
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM monitors WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      id,
    ],
  );
  return rows[0] ? monitorFromRow(rows[0]) : null;
}

/**
 * Creates a monitor. Its first check is due within a couple of seconds, with a
 * little jitter so a bulk import does not fire in one instant.
 */
export async function createMonitor(
  db: Database,
  tenantId: number,
  input: MonitorInput,
  opts: { maxPerTenant: number },
): Promise<Monitor> {
  // The tenant row is locked so that concurrent creations cannot pass the quota together.
  const rows = await db.transaction(async (tx) => {
    await tx.query("SELECT 1 FROM tenants WHERE id = $1 FOR NO KEY UPDATE", [tenantId]);
    // A statement of its own, so that it counts what the writer before us committed.
    const [count] = await tx.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM monitors WHERE tenant_id = $1",
      [tenantId],
    );
    if ((count?.n ?? 0) >= opts.maxPerTenant) {
      throw new MonitorQuotaError(`This tenant already holds ${opts.maxPerTenant} monitors`);
    }
    const fields = columnsOf(input);
    const names = Object.keys(fields);
    return await tx.query(
      `INSERT INTO monitors (tenant_id, ${names.join(", ")}, next_check_at)
       VALUES ($1, ${names.map((n, i) => placeholder(n, i + 2)).join(", ")}, ${
        // A push monitor is due when its first period (and grace) passes without a call.
        input.type === "push"
          ? "now() + make_interval(secs => $" + (names.length + 2) + ")"
          : "now() + random() * interval '2 seconds'"})
       RETURNING ${COLUMNS}`,
      [
        tenantId,
        ...names.map((n) => fields[n]),
        ...(input.type === "push" ? [input.interval_seconds + input.grace_seconds] : []),
      ],
    );
  });
  return monitorFromRow(rows[0]);
}

/**
 * Updates the given fields. A changed interval moves the next check to at most
 * one new interval from now; re-enabling schedules a check right away.
 */
export async function updateMonitor(
  db: Queryable,
  tenantId: number,
  id: string,
  patch: MonitorPatch,
): Promise<Monitor | null> {
  if (!isUuid(id)) return null;
  const sets: string[] = [];
  const params: unknown[] = [tenantId, id];
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === "type") continue;
    params.push(columnValue(key, value));
    sets.push(`${key} = ${placeholder(key, params.length)}`);
  }
  // Column references on the right-hand side read the values before the update.
  let next = "next_check_at";
  if (patch.interval_seconds !== undefined) {
    next = `LEAST(${next}, now() + make_interval(secs => ${Number(patch.interval_seconds)}))`;
  }
  if (patch.enabled === true) {
    next = `CASE WHEN enabled THEN ${next} ELSE now() END`;
  }
  if (next !== "next_check_at") sets.push(`next_check_at = ${next}`);
  sets.push("updated_at = now()");
  const rows = await db.query(
    `UPDATE monitors SET ${sets.join(", ")} WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] ? monitorFromRow(rows[0]) : null;
}

/** Deletes a monitor with its checks, rollups, rules and incidents; false when absent. */
export async function deleteMonitor(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM monitors WHERE tenant_id = $1 AND id = $2 RETURNING id",
    [
      tenantId,
      id,
    ],
  );
  return rows.length > 0;
}

/**
 * Makes an enabled monitor due now. Returns `"queued"`, `"disabled"` or
 * `"missing"`.
 */
export async function queueCheck(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<"queued" | "disabled" | "missing"> {
  if (!isUuid(id)) return "missing";
  const rows = await db.query<{ enabled: boolean }>(
    `UPDATE monitors SET next_check_at = CASE WHEN enabled THEN now() ELSE next_check_at END
     WHERE tenant_id = $1 AND id = $2 RETURNING enabled`,
    [tenantId, id],
  );
  if (!rows[0]) return "missing";
  return rows[0].enabled ? "queued" : "disabled";
}

/** The monitor ids among `ids` that are not the tenant's. */
export function foreignMonitorIds(
  db: Queryable,
  tenantId: number,
  ids: string[],
): Promise<string[]> {
  return foreignIds(db, "monitors", tenantId, ids);
}
