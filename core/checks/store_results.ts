import { type Incident, INCIDENT_COLUMNS, incidentFromRow } from "../alerts/incidents.ts";
import { checksNeeded, evaluateRule, type RuleCheck } from "../alerts/evaluate_rule.ts";
import type { Condition } from "../alerts/schema.ts";
import type { Database, Queryable } from "../db/database.ts";
import type { EventBody, StoredEvent } from "../events/envelope.ts";
import { appendEvents } from "../events/append_events.ts";
import type { Check } from "./check.ts";
import { HISTOGRAM_BOUNDS, histogramBucket } from "./rollups.ts";
import type { CheckOutcome } from "./worker_protocol.ts";

/** What storing one outcome did. */
export interface StoredResult {
  tenantId: number;
  check: Check;
}

function toCheck(o: CheckOutcome): Check {
  return {
    monitor_id: o.monitorId,
    success: o.success,
    status_code: o.statusCode,
    response_time_ms: o.responseTimeMs,
    error_message: o.errorMessage,
    ssl_valid: o.sslValid,
    ssl_expires_at: o.sslExpiresAt,
    checked_at: o.checkedAt,
  };
}

/** Rollup increments grouped by monitor and hour, so one upsert touches each row once. */
function rollupRows(checks: Check[]) {
  const groups = new Map<
    string,
    {
      monitor_id: string;
      hour: string;
      checks: number;
      up: number;
      time_sum: number;
      time_count: number;
      histogram: number[];
    }
  >();
  for (const c of checks) {
    const hour = new Date(Math.floor(Date.parse(c.checked_at) / 3_600_000) * 3_600_000)
      .toISOString();
    const key = `${c.monitor_id}|${hour}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        monitor_id: c.monitor_id,
        hour,
        checks: 0,
        up: 0,
        time_sum: 0,
        time_count: 0,
        histogram: new Array(HISTOGRAM_BOUNDS.length).fill(0),
      };
      groups.set(key, g);
    }
    g.checks++;
    if (c.success) g.up++;
    if (c.response_time_ms !== null) {
      g.time_sum += c.response_time_ms;
      g.time_count++;
      g.histogram[histogramBucket(c.response_time_ms)]++;
    }
  }
  return [...groups.values()];
}

async function evaluateRules(
  tx: Queryable,
  stored: { tenantId: number; check: Check }[],
  now: Date,
): Promise<{ tenantId: number; event: EventBody }[]> {
  const tenants = [...new Set(stored.map((s) => s.tenantId))];
  const monitorIds = stored.map((s) => s.check.monitor_id);
  const [rules, openRows] = await Promise.all([
    tx.query<
      {
        id: string;
        tenant_id: number;
        name: string;
        monitor_id: string | null;
        condition: Condition;
      }
    >(
      `SELECT id, tenant_id, name, monitor_id, condition FROM alert_rules
       WHERE enabled AND tenant_id = ANY($1::int[]) ORDER BY created_at, id`,
      [tenants],
    ),
    tx.query(
      `SELECT ${INCIDENT_COLUMNS}, tenant_id FROM incidents WHERE status = 'open' AND monitor_id = ANY($1::uuid[])`,
      [monitorIds],
    ),
  ]);
  const open = openRows.map((r) => ({ ...incidentFromRow(r), tenant_id: r.tenant_id as number }));
  const applicable = (s: { tenantId: number; check: Check }) =>
    rules.filter((r) =>
      r.tenant_id === s.tenantId && (r.monitor_id === null || r.monitor_id === s.check.monitor_id)
    );
  const needs = stored.filter((s) =>
    applicable(s).length > 0 || open.some((i) => i.monitor_id === s.check.monitor_id)
  );
  if (needs.length === 0) return [];

  const depth = Math.max(1, ...rules.map((r) => checksNeeded(r.condition)));
  const recent = await tx.query<
    {
      monitor_id: string;
      success: boolean;
      response_time_ms: number | null;
      ssl_expires_at: Date | string | null;
    }
  >(
    `SELECT m.id AS monitor_id, c.success, c.response_time_ms, c.ssl_expires_at
     FROM unnest($1::uuid[]) AS m(id)
     CROSS JOIN LATERAL (
       SELECT success, response_time_ms, ssl_expires_at FROM checks
       WHERE monitor_id = m.id ORDER BY checked_at DESC, id DESC LIMIT $2
     ) c`,
    [needs.map((s) => s.check.monitor_id), depth],
  );
  const history = new Map<string, RuleCheck[]>();
  for (const r of recent) {
    const list = history.get(r.monitor_id) ?? [];
    list.push({
      success: r.success,
      response_time_ms: r.response_time_ms,
      ssl_expires_at: r.ssl_expires_at === null ? null : new Date(r.ssl_expires_at).toISOString(),
    });
    history.set(r.monitor_id, list);
  }

  const stamp = now.toISOString();
  const events: { tenantId: number; event: EventBody }[] = [];
  const resolve = async (tenantId: number, incident: Incident) => {
    await tx.query("UPDATE incidents SET status = 'resolved', resolved_at = $2 WHERE id = $1", [
      incident.id,
      stamp,
    ]);
    events.push({
      tenantId,
      event: {
        type: "incident_resolved",
        data: {
          incident_id: incident.id,
          monitor_id: incident.monitor_id,
          alert_rule_id: incident.alert_rule_id,
          rule_name: incident.rule_name,
          status: "resolved",
          resolved_at: stamp,
        },
      },
    });
  };
  for (const s of needs) {
    const monitorId = s.check.monitor_id;
    const own = applicable(s);
    const mine = open.filter((i) => i.monitor_id === monitorId);
    for (const rule of own) {
      const incident = mine.find((i) => i.alert_rule_id === rule.id);
      const decision = evaluateRule(
        rule.condition,
        history.get(monitorId) ?? [],
        incident !== undefined,
        now,
      );
      if (decision.action === "open") {
        const [row] = await tx.query(
          `INSERT INTO incidents (tenant_id, monitor_id, alert_rule_id, rule_name, status, trigger_value, opened_at)
           VALUES ($1, $2, $3, $4, 'open', $5, $6)
           ON CONFLICT (alert_rule_id, monitor_id) WHERE status = 'open' DO NOTHING
           RETURNING ${INCIDENT_COLUMNS}`,
          [s.tenantId, monitorId, rule.id, rule.name, decision.value, stamp],
        );
        if (!row) continue;
        const created = incidentFromRow(row);
        events.push({
          tenantId: s.tenantId,
          event: {
            type: "incident_created",
            data: {
              incident_id: created.id,
              monitor_id: monitorId,
              alert_rule_id: rule.id,
              rule_name: rule.name,
              trigger_value: created.trigger_value,
              status: "open",
              opened_at: created.opened_at,
            },
          },
        });
      } else if (decision.action === "resolve" && incident) {
        await resolve(s.tenantId, incident);
      }
    }
    // Incidents whose rule was deleted, disabled or moved to another monitor resolve too.
    for (const incident of mine) {
      if (!own.some((r) => r.id === incident.alert_rule_id)) await resolve(s.tenantId, incident);
    }
  }
  return events;
}

/**
 * Stores a batch of check outcomes in one transaction: each check row, its
 * monitor's status and last check, the hourly rollups, the tenants' rules
 * evaluated into opened or resolved incidents, and one event per happening,
 * appended with the tenants' next ids and notified at commit. All of it
 * commits or none of it, so a stored check always has its event. Outcomes of
 * monitors deleted or disabled meanwhile are dropped.
 */
export async function storeResults(
  db: Database,
  outcomes: CheckOutcome[],
  now: () => Date = () => new Date(),
): Promise<{ stored: StoredResult[]; events: StoredEvent[] }> {
  if (outcomes.length === 0) return { stored: [], events: [] };
  const checks = outcomes.map(toCheck);
  return await db.transaction(async (tx) => {
    const monitors = await tx.query<{ id: string; tenant_id: number; name: string }>(
      `UPDATE monitors m SET status = v.status, last_check = v.last_check
       FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, status text, last_check jsonb)
       WHERE m.id = v.monitor_id AND m.enabled
       RETURNING m.id, m.tenant_id, m.name`,
      [JSON.stringify(
        checks.map((c) => ({
          monitor_id: c.monitor_id,
          status: c.success ? "up" : "down",
          last_check: c,
        })),
      )],
    );
    const byId = new Map(monitors.map((m) => [m.id, m]));
    const kept = checks.filter((c) => byId.has(c.monitor_id));
    if (kept.length === 0) return { stored: [], events: [] };
    const stored = kept.map((check) => ({
      tenantId: byId.get(check.monitor_id)!.tenant_id,
      check,
    }));

    await tx.query(
      `INSERT INTO checks (monitor_id, tenant_id, success, status_code, response_time_ms, error_message,
         ssl_valid, ssl_expires_at, checked_at)
       SELECT monitor_id, tenant_id, success, status_code, response_time_ms, error_message,
         ssl_valid, ssl_expires_at, checked_at
       FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, tenant_id int, success boolean,
         status_code int, response_time_ms int, error_message text, ssl_valid boolean,
         ssl_expires_at timestamptz, checked_at timestamptz)`,
      [JSON.stringify(stored.map((s) => ({ ...s.check, tenant_id: s.tenantId })))],
    );
    await tx.query(
      `INSERT INTO check_rollups AS r (monitor_id, hour, checks, up, time_sum, time_count, histogram)
       SELECT monitor_id, hour, checks, up, time_sum, time_count,
         ARRAY(SELECT jsonb_array_elements_text(histogram)::int)
       FROM jsonb_to_recordset($1::text::jsonb) AS v(monitor_id uuid, hour timestamptz, checks int, up int,
         time_sum bigint, time_count int, histogram jsonb)
       ON CONFLICT (monitor_id, hour) DO UPDATE SET
         checks = r.checks + EXCLUDED.checks,
         up = r.up + EXCLUDED.up,
         time_sum = r.time_sum + EXCLUDED.time_sum,
         time_count = r.time_count + EXCLUDED.time_count,
         histogram = ARRAY(SELECT a + b FROM unnest(r.histogram, EXCLUDED.histogram) AS h(a, b))`,
      [JSON.stringify(rollupRows(kept))],
    );

    const happenings: { tenantId: number; event: EventBody }[] = stored.map((s) => ({
      tenantId: s.tenantId,
      event: {
        type: "monitor_check",
        data: { monitor_name: byId.get(s.check.monitor_id)!.name, ...s.check },
      },
    }));
    happenings.push(...await evaluateRules(tx, stored, now()));
    const events = await appendEvents(tx, happenings);
    return { stored, events };
  });
}
