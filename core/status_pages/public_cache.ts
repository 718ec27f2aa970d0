import type { Database } from "../db/database.ts";
import type { StoredEvent } from "../events/envelope.ts";
import type { MaintenanceWindow } from "../maintenance/maintenance_window.ts";
import { componentStatusAt, type PublicStatus, readPublicStatus } from "./public_status.ts";

/** One computed public page: the projection, its JSON and their ETag. */
export interface CachedStatus {
  tenantId: number;
  /** The page's id (never answered). */
  pageId: string;
  /** Each shown monitor's status, by monitor id (never answered). */
  shown: Map<string, string>;
  /** Each shown monitor's component id, by monitor id (never answered). */
  componentIds: Map<string, string>;
  /** The maintenance windows of the shown monitors (never answered). */
  windows: MaintenanceWindow[];
  status: PublicStatus;
  json: string;
  etag: string;
  at: number;
}

/** Options of {@linkcode PublicStatusCache}. */
export interface PublicStatusCacheOptions {
  /** Uptime figures drift with every check: recompute at least this often. @default 30_000 */
  maxAgeMs?: number;
  /** Told when a tenant's pages changed (their live viewers' view of them is renewed). */
  onInvalidate?: (tenantId: number) => void;
  now?: () => number;
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The public projection of each status page, computed once per change and
 * shared by every request: a page is recomputed when an event says one of its
 * components changed status, when the tenant's pages change, or when it is
 * older than `maxAgeMs` (uptime figures drift). Concurrent requests for a
 * page being computed wait for the same computation.
 */
export class PublicStatusCache {
  #db: Database;
  #opts: Required<PublicStatusCacheOptions>;
  #pages = new Map<string, Promise<CachedStatus | null>>();
  #done = new Map<string, CachedStatus>();

  constructor(db: Database, opts: PublicStatusCacheOptions = {}) {
    this.#db = db;
    this.#opts = { maxAgeMs: 30_000, now: Date.now, onInvalidate: () => {}, ...opts };
  }

  /** The page by slug, or `null` when it is unknown or unpublished. */
  get(slug: string): Promise<CachedStatus | null> {
    const done = this.#done.get(slug);
    if (done && this.#opts.now() - done.at < this.#opts.maxAgeMs) return Promise.resolve(done);
    let pending = this.#pages.get(slug);
    if (!pending) {
      pending = this.#compute(slug).finally(() => this.#pages.delete(slug));
      this.#pages.set(slug, pending);
    }
    return pending;
  }

  async #compute(slug: string): Promise<CachedStatus | null> {
    const found = await readPublicStatus(this.#db, slug);
    if (!found) {
      this.#done.delete(slug);
      return null;
    }
    const json = JSON.stringify(found.status);
    const entry: CachedStatus = {
      tenantId: found.tenantId,
      pageId: found.pageId,
      shown: new Map(found.monitorIds.map((id, i) => [id, found.status.components[i].status])),
      componentIds: new Map(found.monitorIds.map((id, i) => [id, found.status.components[i].id])),
      windows: found.windows,
      status: found.status,
      json,
      etag: `"${(await sha1(json)).slice(0, 20)}"`,
      at: this.#opts.now(),
    };
    this.#done.set(slug, entry);
    return entry;
  }

  /**
   * Drops the pages an event changes: a check whose status differs from the
   * page's, an incident of a shown monitor, a report posted on the page.
   */
  onEvent(event: StoredEvent): void {
    for (const [slug, entry] of this.#done) {
      if (entry.tenantId !== event.tenant_id) continue;
      if (event.type === "status_report") {
        if (event.data.page_id === entry.pageId) this.#done.delete(slug);
        continue;
      }
      const shown = entry.shown.get(event.data.monitor_id);
      if (shown === undefined) continue;
      if (
        event.type !== "monitor_check" ||
        shown !== componentStatusAt(
            entry.windows,
            event.data.monitor_id,
            event.data.success,
            Date.parse(event.data.checked_at),
          )
      ) {
        this.#done.delete(slug);
      }
    }
  }

  /**
   * Drops every page of a tenant (after its pages, monitors or maintenance
   * windows were edited) and tells `onInvalidate`.
   */
  invalidateTenant(tenantId: number): void {
    for (const [slug, entry] of this.#done) {
      if (entry.tenantId === tenantId) this.#done.delete(slug);
    }
    this.#opts.onInvalidate(tenantId);
  }
}
