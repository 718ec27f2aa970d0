import { z } from "zod";
import type { Database, Queryable } from "../db/database.ts";
import { iso, isUuid, UUID_PATTERN } from "../db/rows.ts";
import { appendEvents } from "../events/append_events.ts";

/** The stages of a report (API.md). */
export const REPORT_STATUSES = ["investigating", "identified", "monitoring", "resolved"] as const;
export type ReportStatus = typeof REPORT_STATUSES[number];

/** A status report with its updates, oldest first. */
export interface StatusReport {
  id: string;
  title: string;
  status: ReportStatus;
  component_ids: string[];
  updates: { status: ReportStatus; message: string; at: string }[];
  created_at: string;
  resolved_at: string | null;
}

const status = z.enum(REPORT_STATUSES, { message: `must be one of ${REPORT_STATUSES.join(", ")}` });
const message = z.string().trim().min(1, "must not be empty").max(
  5000,
  "must be at most 5000 characters",
);

/** The body of `POST /api/v1/status-pages/:id/reports`. */
export const reportCreateSchema = z.strictObject({
  title: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  status,
  message,
  component_ids: z.array(z.string().regex(UUID_PATTERN, "must be component ids (UUIDs)")).max(100)
    .default([]),
});

/** The body of `POST /api/v1/status-reports/:id/updates`. */
export const reportUpdateSchema = z.strictObject({ status, message });

async function withUpdates(
  db: Queryable,
  rows: Record<string, unknown>[],
): Promise<StatusReport[]> {
  if (rows.length === 0) return [];
  const updates = await db.query<
    { report_id: string; status: ReportStatus; message: string; at: Date | string }
  >(
    "SELECT report_id, status, message, at FROM status_report_updates WHERE report_id = ANY($1::uuid[]) ORDER BY at, id",
    [rows.map((r) => r.id as string)],
  );
  return rows.map((r) => ({
    id: r.id as string,
    title: r.title as string,
    status: r.status as ReportStatus,
    component_ids: (r.component_ids as string[] | null) ?? [],
    updates: updates.filter((u) => u.report_id === r.id).map((u) => ({
      status: u.status,
      message: u.message,
      at: iso(u.at)!,
    })),
    created_at: iso(r.created_at)!,
    resolved_at: iso(r.resolved_at),
  }));
}

const COLUMNS = "id, title, status, component_ids, created_at, resolved_at";

/** A page's reports, newest first; with `publicOnly`, those of the last 14 days and the unresolved. */
export async function listReports(
  db: Queryable,
  pageId: string,
  opts: { publicOnly?: boolean } = {},
): Promise<StatusReport[]> {
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM status_reports WHERE page_id = $1
       AND (NOT $2 OR resolved_at IS NULL OR created_at > now() - interval '14 days')
     ORDER BY created_at DESC, id`,
    [pageId, opts.publicOnly ?? false],
  );
  return await withUpdates(db, rows);
}

/** Thrown when a report names components that are not on its page. */
export class ForeignComponentError extends Error {
  override name = "ForeignComponentError";
  constructor(readonly indexes: number[]) {
    super("not a component of this page");
  }
}

/** Tells the page's public viewers, on every instance, how the report now stands. */
async function announce(tx: Queryable, tenantId: number, pageId: string, report: StatusReport) {
  await appendEvents(tx, [{
    tenantId,
    event: { type: "status_report", data: { page_id: pageId, report } },
  }]);
}

/** Creates a report with its first update, announced to the page's viewers. */
export function createReport(
  db: Database,
  tenantId: number,
  pageId: string,
  input: z.infer<typeof reportCreateSchema>,
): Promise<StatusReport> {
  return db.transaction(async (tx) => {
    if (input.component_ids.length) {
      const own = new Set((await tx.query<{ id: string }>(
        "SELECT id FROM status_page_components WHERE page_id = $1 AND id = ANY($2::uuid[])",
        [pageId, input.component_ids],
      )).map((r) => r.id));
      const bad = input.component_ids.flatMap((c, i) => (own.has(c) ? [] : [i]));
      if (bad.length) throw new ForeignComponentError(bad);
    }
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO status_reports (tenant_id, page_id, title, status, component_ids, resolved_at)
       VALUES ($1, $2, $3, $4, $5::uuid[], CASE WHEN $4 = 'resolved' THEN now() END) RETURNING id`,
      [tenantId, pageId, input.title, input.status, [...new Set(input.component_ids)]],
    );
    await tx.query(
      "INSERT INTO status_report_updates (report_id, status, message) VALUES ($1, $2, $3)",
      [row.id, input.status, input.message],
    );
    const report = (await getReport(tx, tenantId, row.id))!;
    await announce(tx, tenantId, pageId, report);
    return report;
  });
}

/** One report of the tenant, with its page id, or `null`. */
export async function getReport(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<StatusReport | null> {
  if (!isUuid(id)) return null;
  const rows = await db.query(
    `SELECT ${COLUMNS} FROM status_reports WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return (await withUpdates(db, rows))[0] ?? null;
}

/**
 * Posts an update, announced to the page's viewers; `resolved` resolves the
 * report. `null` when it is not the tenant's.
 */
export async function addReportUpdate(
  db: Database,
  tenantId: number,
  id: string,
  input: z.infer<typeof reportUpdateSchema>,
): Promise<StatusReport | null> {
  if (!isUuid(id)) return null;
  return await db.transaction(async (tx) => {
    const [row] = await tx.query<{ page_id: string }>(
      `UPDATE status_reports SET status = $3,
         resolved_at = CASE WHEN $3 = 'resolved' THEN coalesce(resolved_at, now()) ELSE NULL END
       WHERE tenant_id = $1 AND id = $2 RETURNING page_id`,
      [tenantId, id, input.status],
    );
    if (!row) return null;
    await tx.query(
      "INSERT INTO status_report_updates (report_id, status, message) VALUES ($1, $2, $3)",
      [id, input.status, input.message],
    );
    const report = (await getReport(tx, tenantId, id))!;
    await announce(tx, tenantId, row.page_id, report);
    return report;
  });
}

/** Deletes a report; false when absent. */
export async function deleteReport(db: Queryable, tenantId: number, id: string): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM status_reports WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, id],
  );
  return rows.length > 0;
}
