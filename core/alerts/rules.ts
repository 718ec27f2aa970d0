import type { Queryable } from "../db/database.ts";
import { isUuid } from "../db/rows.ts";
import { type AlertRule, RULE_COLUMNS as COLUMNS, ruleFromRow } from "./alert_rule.ts";
import type { RuleInput, RulePatch } from "./schema.ts";

/** Lists a tenant's rules, oldest first. */
export async function listRules(
  db: Queryable,
  tenantId: number,
): Promise<AlertRule[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM alert_rules WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  return rows.map(ruleFromRow);
}

/** One rule of the tenant, or `null`. */
export async function getRule(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<AlertRule | null> {
  if (!isUuid(id)) return null;
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM alert_rules WHERE tenant_id = $1 AND id = $2`,
    [
      tenantId,
      id,
    ],
  );
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

/** True when the monitor exists in the tenant (a rule may only name its own tenant's monitors). */
export async function tenantOwnsMonitor(
  db: Queryable,
  tenantId: number,
  monitorId: string,
): Promise<boolean> {
  const rows = await db.query(
    "SELECT 1 FROM monitors WHERE tenant_id = $1 AND id = $2",
    [
      tenantId,
      monitorId,
    ],
  );
  return rows.length > 0;
}

/** Creates a rule. */
export async function createRule(
  db: Queryable,
  tenantId: number,
  input: RuleInput,
): Promise<AlertRule> {
  const rows = await db.query(
    `INSERT INTO alert_rules (tenant_id, name, monitor_id, condition, enabled, channel_ids,
       reminder_minutes)
     VALUES ($1, $2, $3, $4::text::jsonb, $5, $6::uuid[], $7) RETURNING ${COLUMNS}`,
    [
      tenantId,
      input.name,
      input.monitor_id,
      JSON.stringify(input.condition),
      input.enabled,
      [...new Set(input.channel_ids)],
      input.reminder_minutes,
    ],
  );
  return ruleFromRow(rows[0]);
}

/** Updates the given fields of a rule; `null` when absent. */
export async function updateRule(
  db: Queryable,
  tenantId: number,
  id: string,
  patch: RulePatch,
): Promise<AlertRule | null> {
  if (!isUuid(id)) return null;
  const sets: string[] = ["updated_at = now()"];
  const params: unknown[] = [tenantId, id];
  if (patch.name !== undefined) sets.push(`name = $${params.push(patch.name)}`);
  if (patch.monitor_id !== undefined) {
    sets.push(`monitor_id = $${params.push(patch.monitor_id)}`);
  }
  if (patch.enabled !== undefined) {
    sets.push(`enabled = $${params.push(patch.enabled)}`);
  }
  if (patch.channel_ids !== undefined) {
    sets.push(`channel_ids = $${params.push([...new Set(patch.channel_ids)])}::uuid[]`);
  }
  if (patch.reminder_minutes !== undefined) {
    sets.push(`reminder_minutes = $${params.push(patch.reminder_minutes)}`);
  }
  if (patch.condition !== undefined) {
    sets.push(
      `condition = $${params.push(JSON.stringify(patch.condition))}::text::jsonb`,
    );
  }
  const rows = await db.query(
    `UPDATE alert_rules SET ${
      sets.join(", ")
    } WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
    params,
  );
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

/** Deletes a rule; false when absent. Its past incidents stay, without the link. */
export async function deleteRule(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM alert_rules WHERE tenant_id = $1 AND id = $2 RETURNING id",
    [tenantId, id],
  );
  return rows.length > 0;
}
