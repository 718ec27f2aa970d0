import { iso } from "../db/rows.ts";

/** One component of a status page: a monitor under the name its users know. */
export interface StatusPageComponent {
  id: string;
  monitor_id: string;
  name: string;
  group: string | null;
}

/** A status page as API.md shows it to its tenant. */
export interface StatusPage {
  id: string;
  slug: string;
  title: string;
  description: string | null;
  custom_domain: string | null;
  published: boolean;
  show_response_times: boolean;
  components: StatusPageComponent[];
  /** The public page, under the public origin (set by the HTTP layer). */
  url: string | null;
  created_at: string;
  updated_at: string;
}

/** The columns {@linkcode statusPageFromRow} reads. */
export const STATUS_PAGE_COLUMNS =
  "id, slug, title, description, custom_domain, published, show_response_times, created_at, updated_at";

/** Maps a `status_pages` row and its components to the API shape. */
export function statusPageFromRow(
  row: Record<string, unknown>,
  components: StatusPageComponent[],
): StatusPage {
  return {
    id: row.id as string,
    slug: row.slug as string,
    title: row.title as string,
    description: (row.description as string | null) ?? null,
    custom_domain: (row.custom_domain as string | null) ?? null,
    published: row.published as boolean,
    show_response_times: row.show_response_times as boolean,
    components,
    url: null,
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}
