import { iso } from "../db/rows.ts";
import type { Condition } from "./schema.ts";

/** An alert rule, as API.md shows it. */
export interface AlertRule {
  id: string;
  name: string;
  monitor_id: string | null;
  condition: Condition;
  enabled: boolean;
  /** The channels its incidents notify; empty: the tenant's default channels. */
  channel_ids: string[];
  /** While an incident stays open, a reminder this often; `null`: none. */
  reminder_minutes: number | null;
  created_at: string;
}

/** The columns {@linkcode ruleFromRow} reads. */
export const RULE_COLUMNS =
  "id, name, monitor_id, condition, enabled, channel_ids, reminder_minutes, created_at";

/** Maps an `alert_rules` row to its API shape. */
export function ruleFromRow(row: Record<string, unknown>): AlertRule {
  return {
    id: row.id as string,
    name: row.name as string,
    monitor_id: (row.monitor_id as string | null) ?? null,
    condition: row.condition as Condition,
    enabled: row.enabled as boolean,
    channel_ids: (row.channel_ids as string[] | null) ?? [],
    reminder_minutes: (row.reminder_minutes as number | null) ?? null,
    created_at: iso(row.created_at) as string,
  };
}
