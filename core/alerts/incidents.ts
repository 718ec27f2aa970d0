import type { Queryable } from "../db/database.ts";
import { type Incident, INCIDENT_COLUMNS, incidentFromRow } from "./incident.ts";
import type { PlannedOpening, PlanRule } from "./plan_incidents.ts";

/** Lists a tenant's incidents, newest first, optionally by status and monitor. */
export async function listIncidents(
  db: Queryable,
  tenantId: number,
  filter: { status?: "open" | "resolved"; monitorId?: string; limit?: number },
): Promise<Incident[]> {
  const rows = await db.query(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents
     WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::uuid IS NULL OR monitor_id = $3)
     ORDER BY opened_at DESC, id DESC LIMIT $4`,
    [
      tenantId,
      filter.status ?? null,
      filter.monitorId ?? null,
      filter.limit ?? 1000,
    ],
  );
  return rows.map(incidentFromRow);
}

/** The enabled rules of the given tenants, oldest first, as planning needs them. */
export async function enabledRulesOf(tx: Queryable, tenantIds: number[]): Promise<PlanRule[]> {
  return await tx.query<PlanRule>(
    `SELECT id, tenant_id, name, monitor_id, condition, channel_ids FROM alert_rules
     WHERE enabled AND tenant_id = ANY($1::int[]) ORDER BY created_at, id`,
    [tenantIds],
  );
}

/** Rules by id, enabled or not (for the channels of an incident whose rule was disabled). */
export async function rulesById(tx: Queryable, ids: string[]): Promise<PlanRule[]> {
  if (ids.length === 0) return [];
  return await tx.query<PlanRule>(
    `SELECT id, tenant_id, name, monitor_id, condition, channel_ids FROM alert_rules
     WHERE id = ANY($1::uuid[])`,
    [ids],
  );
}

/** The open incidents of the given monitors. */
export async function openIncidentsOf(tx: Queryable, monitorIds: string[]): Promise<Incident[]> {
  const rows = await tx.query(
    `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE status = 'open' AND monitor_id = ANY($1::uuid[])`,
    [monitorIds],
  );
  return rows.map(incidentFromRow);
}

/**
 * Opens an incident unless one is already open for the rule and monitor (then
 * `null`: another writer opened it first).
 */
export async function openIncident(
  tx: Queryable,
  opening: PlannedOpening,
  at: string,
): Promise<Incident | null> {
  const [row] = await tx.query(
    `INSERT INTO incidents (tenant_id, monitor_id, alert_rule_id, rule_name, status, trigger_value,
       opened_at, notified_at)
     VALUES ($1, $2, $3, $4, 'open', $5, $6, $6)
     ON CONFLICT (alert_rule_id, monitor_id) WHERE status = 'open' DO NOTHING
     RETURNING ${INCIDENT_COLUMNS}`,
    [
      opening.tenantId,
      opening.monitorId,
      opening.rule.id,
      opening.rule.name,
      opening.value,
      at,
    ],
  );
  return row ? incidentFromRow(row) : null;
}

/**
 * Resolves an open incident. Conditional on it still being open, so two
 * writers (two instances storing results of the same monitor) resolve it
 * once: the second gets `null` and publishes nothing.
 */
export async function resolveIncident(
  tx: Queryable,
  incidentId: string,
  at: string,
): Promise<Incident | null> {
  const [row] = await tx.query(
    `UPDATE incidents SET status = 'resolved', resolved_at = $2
     WHERE id = $1 AND status = 'open' RETURNING ${INCIDENT_COLUMNS}`,
    [incidentId, at],
  );
  return row ? incidentFromRow(row) : null;
}
