import type { Database, Queryable } from "../db/database.ts";
import { isUuid } from "../db/rows.ts";
import type { StatusPageInput, StatusPagePatch } from "./schema.ts";
import {
  STATUS_PAGE_COLUMNS,
  type StatusPage,
  type StatusPageComponent,
  statusPageFromRow,
} from "./status_page.ts";

/** Thrown when a slug or custom domain is taken (another page, any tenant). */
export class StatusPageTakenError extends Error {
  override name = "StatusPageTakenError";
  constructor(readonly field: "slug" | "custom_domain", message: string) {
    super(message);
  }
}

async function componentsOf(db: Queryable, pageIds: string[]) {
  const rows = await db.query<
    { id: string; page_id: string; monitor_id: string; name: string; group_name: string | null }
  >(
    `SELECT id, page_id, monitor_id, name, group_name FROM status_page_components
     WHERE page_id = ANY($1::uuid[]) ORDER BY position`,
    [pageIds],
  );
  const byPage = new Map<string, StatusPageComponent[]>();
  for (const r of rows) {
    const list = byPage.get(r.page_id) ?? [];
    list.push({ id: r.id, monitor_id: r.monitor_id, name: r.name, group: r.group_name });
    byPage.set(r.page_id, list);
  }
  return byPage;
}

/** Lists a tenant's status pages, oldest first. */
export async function listStatusPages(db: Queryable, tenantId: number): Promise<StatusPage[]> {
  const rows = await db.query(
    `SELECT ${STATUS_PAGE_COLUMNS} FROM status_pages WHERE tenant_id = $1 ORDER BY created_at, id`,
    [tenantId],
  );
  const components = await componentsOf(db, rows.map((r) => r.id as string));
  return rows.map((r) => statusPageFromRow(r, components.get(r.id as string) ?? []));
}

/** One status page of the tenant, or `null`. */
export async function getStatusPage(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<StatusPage | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.query(
    `SELECT ${STATUS_PAGE_COLUMNS} FROM status_pages WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  if (!row) return null;
  return statusPageFromRow(row, (await componentsOf(db, [id])).get(id) ?? []);
}

async function writeComponents(
  tx: Queryable,
  pageId: string,
  components: NonNullable<StatusPageInput["components"]>,
) {
  await tx.query("DELETE FROM status_page_components WHERE page_id = $1", [pageId]);
  if (components.length === 0) return;
  // A component's name defaults to its monitor's.
  await tx.query(
    `INSERT INTO status_page_components (page_id, monitor_id, name, group_name, position)
     SELECT $1, c.monitor_id, coalesce(c.name, m.name), c.group_name, c.position
     FROM jsonb_to_recordset($2::text::jsonb) AS c(monitor_id uuid, name text, group_name text, position int)
     JOIN monitors m ON m.id = c.monitor_id`,
    [
      pageId,
      JSON.stringify(components.map((c, i) => ({
        monitor_id: c.monitor_id,
        name: c.name ?? null,
        group_name: c.group ?? null,
        position: i,
      }))),
    ],
  );
}

function taken(e: unknown): never {
  const message = String((e as Error).message ?? e);
  if (/status_pages_slug_idx/.test(message)) {
    throw new StatusPageTakenError("slug", "this slug is taken");
  }
  if (/status_pages_domain_idx/.test(message)) {
    throw new StatusPageTakenError("custom_domain", "this domain already serves another page");
  }
  throw e;
}

/** Creates a status page with its components. */
export async function createStatusPage(
  db: Database,
  tenantId: number,
  input: StatusPageInput,
): Promise<StatusPage> {
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO status_pages (tenant_id, slug, title, description, custom_domain, published,
         show_response_times)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        tenantId,
        input.slug,
        input.title,
        input.description,
        input.custom_domain,
        input.published,
        input.show_response_times,
      ],
    );
    await writeComponents(tx, row.id, input.components);
    return row.id;
  }).catch(taken);
  return (await getStatusPage(db, tenantId, id))!;
}

/** Updates the given fields; `components` replaces the list. `null` when absent. */
export async function updateStatusPage(
  db: Database,
  tenantId: number,
  id: string,
  patch: StatusPagePatch,
): Promise<StatusPage | null> {
  if (!isUuid(id)) return null;
  const found = await db.transaction(async (tx) => {
    const sets = ["updated_at = now()"];
    const params: unknown[] = [tenantId, id];
    for (
      const key of [
        "slug",
        "title",
        "description",
        "custom_domain",
        "published",
        "show_response_times",
      ] as const
    ) {
      if (patch[key] !== undefined) sets.push(`${key} = $${params.push(patch[key])}`);
    }
    const rows = await tx.query(
      `UPDATE status_pages SET ${sets.join(", ")} WHERE tenant_id = $1 AND id = $2 RETURNING id`,
      params,
    );
    if (!rows[0]) return false;
    if (patch.components) await writeComponents(tx, id, patch.components);
    return true;
  }).catch(taken);
  return found ? await getStatusPage(db, tenantId, id) : null;
}

/** Deletes a status page; false when absent. */
export async function deleteStatusPage(
  db: Queryable,
  tenantId: number,
  id: string,
): Promise<boolean> {
  if (!isUuid(id)) return false;
  const rows = await db.query(
    "DELETE FROM status_pages WHERE tenant_id = $1 AND id = $2 RETURNING 1",
    [tenantId, id],
  );
  return rows.length > 0;
}
