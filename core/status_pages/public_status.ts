import type { Queryable } from "../db/database.ts";
import {
  coversMonitor,
  currentOrNext,
  inMaintenance,
  type MaintenanceWindow,
} from "../maintenance/maintenance_window.ts";
import { windowsOf } from "../maintenance/queries.ts";
import { listReports, type StatusReport } from "./status_report.ts";

/** A component as the public sees it: no monitor id, URL or error. */
export interface PublicComponent {
  id: string;
  name: string;
  group: string | null;
  status: "up" | "down" | "pending" | "maintenance";
  uptime: { "24h": number | null; "7d": number | null; "30d": number | null; "90d": number | null };
  /** The last 90 UTC days, oldest first. */
  days: { date: string; uptime_percent: number | null }[];
  /** Average over 24 hours, only with `show_response_times`. */
  response_time_ms?: number | null;
}

/** The public projection of a status page (API.md, "Status pages"). */
export interface PublicStatus {
  title: string;
  description: string | null;
  status: "operational" | "degraded" | "outage" | "maintenance";
  components: PublicComponent[];
  /** Reports of the last 14 days and unresolved ones, newest first. */
  reports: StatusReport[];
  /** Maintenance of the page's monitors on now or starting within 7 days. */
  maintenance: { title: string; starts_at: string; ends_at: string; message: string | null }[];
}

const WINDOWS = { "24h": 24, "7d": 168, "30d": 720, "90d": 2160 } as const;

function percent(up: number, checks: number): number | null {
  return checks === 0 ? null : Math.round((up / checks) * 100_000) / 1000;
}

/**
 * A component's status after a check at `t`: `maintenance` inside one of its
 * windows, else `up` or `down` (what the live stream sends).
 */
export function componentStatusAt(
  windows: readonly MaintenanceWindow[],
  monitorId: string,
  success: boolean,
  t: number,
): "up" | "down" | "maintenance" {
  if (inMaintenance(windows, monitorId, t)) return "maintenance";
  return success ? "up" : "down";
}

/** The page's overall status from its components'. */
export function overallStatus(components: { status: string }[]): PublicStatus["status"] {
  const counted = components.filter((c) => c.status !== "pending");
  const down = counted.filter((c) => c.status === "down").length;
  if (counted.length > 0 && down === counted.length) return "outage";
  if (down > 0) return "degraded";
  if (counted.some((c) => c.status === "maintenance")) return "maintenance";
  return "operational";
}

/**
 * Reads what the public may see of a published page, by slug: each
 * component's name, group, status, uptime over 24h/7d/30d/90d and its 90 daily
 * bars from the hourly rollups. Nothing else of the tenant is read into it.
 * `null` for an unknown or unpublished slug.
 */
export async function readPublicStatus(
  db: Queryable,
  slug: string,
  now = new Date(),
): Promise<
  {
    tenantId: number;
    pageId: string;
    monitorIds: string[];
    /** The maintenance windows of the shown monitors (never answered). */
    windows: MaintenanceWindow[];
    status: PublicStatus;
  } | null
> {
  if (!/^[a-z0-9][a-z0-9-]{1,58}[a-z0-9]$/.test(slug)) return null;
  const [page] = await db.query<{
    id: string;
    tenant_id: number;
    title: string;
    description: string | null;
    show_response_times: boolean;
  }>(
    `SELECT id, tenant_id, title, description, show_response_times FROM status_pages
     WHERE slug = $1 AND published`,
    [slug],
  );
  if (!page) return null;
  const components = await db.query<{
    id: string;
    monitor_id: string;
    name: string;
    group_name: string | null;
    status: string;
    enabled: boolean;
  }>(
    `SELECT c.id, c.monitor_id, c.name, c.group_name, m.status, m.enabled
     FROM status_page_components c JOIN monitors m ON m.id = c.monitor_id AND m.tenant_id = $2
     WHERE c.page_id = $1 ORDER BY c.position`,
    [page.id, page.tenant_id],
  );
  const ids = components.map((c) => c.monitor_id);
  const windows = await windowsOf(db, [page.tenant_id]);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = new Date(today - 89 * 86_400_000);
  const rollups = ids.length === 0 ? [] : await db.query<{
    monitor_id: string;
    hour: Date | string;
    checks: number;
    up: number;
    time_sum: number;
    time_count: number;
  }>(
    `SELECT monitor_id, hour, checks, up, time_sum, time_count FROM check_rollups
     WHERE monitor_id = ANY($1::uuid[]) AND hour >= $2`,
    [ids, first.toISOString()],
  );
  const out: PublicComponent[] = components.map((c) => {
    const mine = rollups.filter((r) => r.monitor_id === c.monitor_id);
    const uptime = {} as PublicComponent["uptime"];
    for (const [key, hours] of Object.entries(WINDOWS) as [keyof typeof WINDOWS, number][]) {
      const since = now.getTime() - hours * 3_600_000;
      const within = mine.filter((r) => new Date(r.hour).getTime() > since);
      uptime[key] = percent(
        within.reduce((s, r) => s + Number(r.up), 0),
        within.reduce((s, r) => s + Number(r.checks), 0),
      );
    }
    const days: PublicComponent["days"] = [];
    for (let d = 0; d < 90; d++) {
      const start = first.getTime() + d * 86_400_000;
      const inDay = mine.filter((r) => {
        const t = new Date(r.hour).getTime();
        return t >= start && t < start + 86_400_000;
      });
      days.push({
        date: new Date(start).toISOString().slice(0, 10),
        uptime_percent: percent(
          inDay.reduce((s, r) => s + Number(r.up), 0),
          inDay.reduce((s, r) => s + Number(r.checks), 0),
        ),
      });
    }
    const status = !c.enabled
      ? "pending"
      : inMaintenance(windows, c.monitor_id, now.getTime())
      ? "maintenance"
      : c.status as PublicComponent["status"];
    const component: PublicComponent = {
      id: c.id,
      name: c.name,
      group: c.group_name,
      status,
      uptime,
      days,
    };
    if (page.show_response_times) {
      const day = mine.filter((r) => new Date(r.hour).getTime() > now.getTime() - 86_400_000);
      const count = day.reduce((s, r) => s + Number(r.time_count), 0);
      component.response_time_ms = count === 0
        ? null
        : Math.round(day.reduce((s, r) => s + Number(r.time_sum), 0) / count);
    }
    return component;
  });
  return {
    tenantId: page.tenant_id,
    pageId: page.id,
    monitorIds: ids,
    windows: windows.filter((w) => ids.some((id) => coversMonitor(w, id))),
    status: {
      title: page.title,
      description: page.description,
      status: overallStatus(out),
      components: out,
      reports: await listReports(db, page.id, { publicOnly: true }),
      maintenance: windows.flatMap((w) => {
        if (!ids.some((id) => coversMonitor(w, id))) return [];
        const o = currentOrNext(w, now.getTime(), 7 * 86_400_000);
        return o
          ? [{
            title: w.title,
            starts_at: new Date(o.start).toISOString(),
            ends_at: new Date(o.end).toISOString(),
            message: w.message,
          }]
          : [];
      }).sort((a, b) => a.starts_at.localeCompare(b.starts_at)),
    },
  };
}

/** The slug of the published page a custom domain serves, or `null`. */
export async function slugForDomain(db: Queryable, host: string): Promise<string | null> {
  const name = host.toLowerCase().replace(/:\d+$/, "");
  if (!/^[a-z0-9.-]{1,253}$/.test(name)) return null;
  const [row] = await db.query<{ slug: string }>(
    "SELECT slug FROM status_pages WHERE lower(custom_domain) = $1 AND published",
    [name],
  );
  return row?.slug ?? null;
}
