import { iso } from "../db/rows.ts";

/** An incident, as API.md shows it. */
export interface Incident {
  id: string;
  monitor_id: string;
  alert_rule_id: string | null;
  rule_name: string;
  status: "open" | "resolved";
  trigger_value: number | null;
  opened_at: string;
  resolved_at: string | null;
}

/** The columns {@linkcode incidentFromRow} reads. */
export const INCIDENT_COLUMNS =
  "id, monitor_id, alert_rule_id, rule_name, status, trigger_value, opened_at, resolved_at";

/** Maps an `incidents` row to its API shape. */
export function incidentFromRow(row: Record<string, unknown>): Incident {
  return {
    id: row.id as string,
    monitor_id: row.monitor_id as string,
    alert_rule_id: (row.alert_rule_id as string | null) ?? null,
    rule_name: row.rule_name as string,
    status: row.status as Incident["status"],
    trigger_value: row.trigger_value === null ? null : Number(row.trigger_value),
    opened_at: iso(row.opened_at) as string,
    resolved_at: iso(row.resolved_at),
  };
}
