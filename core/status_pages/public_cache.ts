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
 * What `event` changes on the page `entry` shows: `"report"` for a report
 * posted on it, the component's new status for a check that changes it, or
 * `null` (another tenant's, another page's, an incident, the same status).
 */
function changeOf(
  entry: CachedStatus,
  event: StoredEvent,
): "report" | { monitorId: string; status: string } | null {
  if (event.tenant_id !== entry.tenantId) return null;
  if (event.type === "status_report") return event.data.page_id === entry.pageId ? "report" : null;
  if (event.type !== "monitor_check") return null;
  const monitorId = event.data.monitor_id;
  const shown = entry.shown.get(monitorId);
  if (shown === undefined) return null;
  const status = componentStatusAt(
    entry.windows,
    monitorId,
    event.data.success,
    Date.parse(event.data.checked_at),
  );
  return status === shown ? null : { monitorId, status };
}

/**
 * The public projection of each status page, computed once per change and
 * shared by every request: a page is recomputed when an event says one of its
 * components changed status, when the tenant's pages change, or when it is
 * older than `maxAgeMs` (uptime figures drift). Concurrent requests for a
 * page being computed wait for the same computation; a change while it runs
 * retires it: its callers get its answer, but it is not kept, and the next
 * request computes the page again. That holds for a page computed for the
 * first time too, whose tenant and monitors are known only at the end: the
 * events seen meanwhile are kept until then and checked against what it read.
 */
export class PublicStatusCache {
  #db: Database;
  #opts: Required<PublicStatusCacheOptions>;
  /** The computation in flight per slug (an object of its own, so a retired one is told apart). */
  #pages = new Map<string, { answer: Promise<CachedStatus | null> }>();
  #done = new Map<string, CachedStatus>();
  /** The last computed entry per slug, kept after it is dropped: whose page it is, what it shows. */
  #known = new Map<string, CachedStatus>();
  /** Events that change public pages, numbered, kept while a computation that began before them runs. */
  #recent: { seq: number; event: StoredEvent }[] = [];
  #seq = 0;
  /** The computations in flight, with the number of the last event each began after. */
  #running = new Map<object, number>();

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
      const mine = { answer: Promise.resolve<CachedStatus | null>(null) };
      mine.answer = this.#compute(slug, mine).finally(() => {
        if (this.#pages.get(slug) === mine) this.#pages.delete(slug);
      });
      this.#pages.set(slug, mine);
      pending = mine;
    }
    return pending.answer;
  }

  async #compute(slug: string, mine: object): Promise<CachedStatus | null> {
    this.#running.set(mine, this.#seq);
    try {
      return await this.#read(slug, mine, this.#seq);
    } finally {
      this.#running.delete(mine);
      const oldest = Math.min(...this.#running.values());
      this.#recent = this.#recent.filter((r) => r.seq > oldest);
    }
  }

  async #read(slug: string, mine: object, since: number): Promise<CachedStatus | null> {
    const found = await readPublicStatus(this.#db, slug);
    if (!found) {
      if (this.#pages.get(slug) === mine) {
        this.#done.delete(slug);
        this.#known.delete(slug);
      }
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
    // Not retired meanwhile, and no event since it began says otherwise.
    if (this.#pages.get(slug) === mine && !this.#changedSince(since, entry)) {
      this.#done.set(slug, entry);
      this.#known.set(slug, entry);
    }
    return entry;
  }

  /** Whether an event seen after `since` changes what `entry` shows. */
  #changedSince(since: number, entry: CachedStatus): boolean {
    return this.#recent.some(({ seq, event }) => seq > since && changeOf(entry, event) !== null);
  }

  /** Drops a page and retires its computation in flight. */
  #drop(slug: string) {
    this.#done.delete(slug);
    this.#pages.delete(slug);
  }

  /**
   * Drops the pages an event changes (and retires their computations in
   * flight): a check whose status differs from the page's, a report posted on
   * the page. Incidents are not on the public page: they change nothing, so
   * an outage's incidents do not make the crowd's pages be computed again.
   */
  onEvent(event: StoredEvent): void {
    if (event.type !== "monitor_check" && event.type !== "status_report") return;
    if (this.#running.size > 0) this.#recent.push({ seq: ++this.#seq, event });
    for (const [slug, entry] of this.#known) {
      const change = changeOf(entry, event);
      if (change === null) continue;
      this.#drop(slug);
      // Told apart from the next change while the page is computed again.
      if (change !== "report") entry.shown.set(change.monitorId, change.status);
    }
  }

  /**
   * Drops every page of a tenant (after its pages, monitors or maintenance
   * windows were edited) and tells `onInvalidate`.
   */
  invalidateTenant(tenantId: number): void {
    // A page never computed yet may be this tenant's: its computation in flight is retired too.
    for (const slug of this.#pages.keys()) {
      if ((this.#known.get(slug)?.tenantId ?? tenantId) === tenantId) this.#drop(slug);
    }
    for (const [slug, entry] of this.#known) {
      if (entry.tenantId === tenantId) this.#drop(slug);
    }
    this.#opts.onInvalidate(tenantId);
  }

  /**
   * Drops every page and retires every computation in flight: the event bus
   * missed events (its connection was re-established), so any page may show
   * a status those events changed.
   */
  forgetAll(): void {
    this.#done.clear();
    this.#pages.clear();
  }
}
