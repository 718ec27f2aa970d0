import { type Incident, INCIDENT_COLUMNS, incidentFromRow } from "../alerts/incidents.ts";
import { checksNeeded, evaluateRule, type RuleCheck } from "../alerts/evaluate_rule.ts";
import type { Condition } from "../alerts/schema.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { StoredEvent } from "../events/envelope.ts";
import { appendEvent } from "../events/event_log.ts";
import type { Check } from "./check.ts";
import { addToRollup } from "./rollups.ts";
import type { CheckOutcome } from "./worker_protocol.ts";

/** What storing one outcome did; `null` when the monitor was deleted or disabled meanwhile. */
export interface StoredResult {
  tenantId: number;
  check: Check;
  events: StoredEvent[];
}

async function resolveIncident(
  tx: Queryable,
  tenantId: number,
  incident: Incident,
  now: string,
) {
  await tx.query(
    "UPDATE incidents SET status = 'resolved', resolved_at = $2 WHERE id = $1",
    [
      incident.id,
      now,
    ],
  );
  return await appendEvent(tx, tenantId, {
    type: "incident_resolved",
    data: {
      incident_id: incident.id,
      monitor_id: incident.monitor_id,
      alert_rule_id: incident.alert_rule_id,
      rule_name: incident.rule_name,
      status: "resolved",
      resolved_at: now,
    },
  });
}

/**
 * Stores one check outcome in a single transaction: the check row, the
 * monitor's status and last check, the hourly rollup, the tenant's rules
 * evaluated into opened or resolved incidents, and one event per happening.
 * Either all of it commits, with its notifications, or none of it.
 */
export async function storeResult(
  db: Database,
  outcome: CheckOutcome,
  now: () => Date = () => new Date(),
): Promise<StoredResult | null> {
  const check: Check = {
    monitor_id: outcome.monitorId,
    success: outcome.success,
    status_code: outcome.statusCode,
    response_time_ms: outcome.responseTimeMs,
    error_message: outcome.errorMessage,
    ssl_valid: outcome.sslValid,
    ssl_expires_at: outcome.sslExpiresAt,
    checked_at: outcome.checkedAt,
  };
  return await db.transaction(async (tx) => {
    const [monitor] = await tx.query<{ tenant_id: number; name: string }>(
      `UPDATE monitors SET status = $2, last_check = $3::text::jsonb
       WHERE id = $1 AND enabled RETURNING tenant_id, name`,
      [
        outcome.monitorId,
        outcome.success ? "up" : "down",
        JSON.stringify(check),
      ],
    );
    if (!monitor) return null;
    const tenantId = monitor.tenant_id;
    await tx.query(
      `INSERT INTO checks (monitor_id, tenant_id, success, status_code, response_time_ms,
         error_message, ssl_valid, ssl_expires_at, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        check.monitor_id,
        tenantId,
        check.success,
        check.status_code,
        check.response_time_ms,
        check.error_message,
        check.ssl_valid,
        check.ssl_expires_at,
        check.checked_at,
      ],
    );
    await addToRollup(tx, {
      monitorId: check.monitor_id,
      success: check.success,
      responseTimeMs: check.response_time_ms,
      checkedAt: check.checked_at,
    });
    const events: StoredEvent[] = [
      await appendEvent(tx, tenantId, {
        type: "monitor_check",
        data: { monitor_name: monitor.name, ...check },
      }),
    ];

    const rules = await tx.query<
      { id: string; name: string; condition: Condition }
    >(
      `SELECT id, name, condition FROM alert_rules
       WHERE tenant_id = $1 AND enabled AND (monitor_id IS NULL OR monitor_id = $2)
       ORDER BY created_at, id`,
      [tenantId, check.monitor_id],
    );
    const open = (await tx.query(
      `SELECT ${INCIDENT_COLUMNS} FROM incidents WHERE monitor_id = $1 AND status = 'open'`,
      [check.monitor_id],
    )).map(incidentFromRow);
    if (rules.length === 0 && open.length === 0) {
      return { tenantId, check, events };
    }

    const depth = Math.max(1, ...rules.map((r) => checksNeeded(r.condition)));
    const recent = await tx.query<
      RuleCheck & { ssl_expires_at: Date | string | null }
    >(
      `SELECT success, response_time_ms, ssl_expires_at FROM checks
       WHERE monitor_id = $1 ORDER BY checked_at DESC, id DESC LIMIT $2`,
      [check.monitor_id, depth],
    );
    const history: RuleCheck[] = recent.map((r) => ({
      success: r.success,
      response_time_ms: r.response_time_ms,
      ssl_expires_at: r.ssl_expires_at === null ? null : new Date(r.ssl_expires_at).toISOString(),
    }));
    const at = now();
    const stamp = at.toISOString();
    for (const rule of rules) {
      const incident = open.find((i) => i.alert_rule_id === rule.id);
      const decision = evaluateRule(
        rule.condition,
        history,
        incident !== undefined,
        at,
      );
      if (decision.action === "open") {
        const [row] = await tx.query(
          `INSERT INTO incidents (tenant_id, monitor_id, alert_rule_id, rule_name, status, trigger_value, opened_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6)
           ON CONFLICT (alert_rule_id, monitor_id) WHERE status = 'open' DO NOTHING
           RETURNING ${INCIDENT_COLUMNS}`,
          [
            tenantId,
            check.monitor_id,
            rule.id,
            rule.name,
            decision.value,
            stamp,
          ],
        );
        if (!row) continue;
        const created = incidentFromRow(row);
        events.push(
          await appendEvent(tx, tenantId, {
            type: "incident_created",
            data: {
              incident_id: created.id,
              monitor_id: created.monitor_id,
              alert_rule_id: rule.id,
              rule_name: rule.name,
              trigger_value: created.trigger_value,
              status: "open",
              opened_at: created.opened_at,
            },
          }),
        );
      } else if (decision.action === "resolve" && incident) {
        events.push(await resolveIncident(tx, tenantId, incident, stamp));
      }
    }
    // Incidents whose rule was deleted, disabled or moved to another monitor resolve too.
    for (const incident of open) {
      if (!rules.some((r) => r.id === incident.alert_rule_id)) {
        events.push(await resolveIncident(tx, tenantId, incident, stamp));
      }
    }
    return { tenantId, check, events };
  });
}
