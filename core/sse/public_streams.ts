import type { StatusReportData, StoredEvent } from "../events/envelope.ts";
import type { EventLogReader } from "../events/event_log.ts";
import type { Logger } from "../log.ts";
import {
  encodeFrame,
  HEARTBEAT_FRAME,
  OPENING_FRAME,
  RESET_FRAME,
  SHUTDOWN_FRAME,
} from "./encode_frame.ts";

/** What a public stream needs to know of its page: which monitor is which component. */
export interface PublicPageView {
  slug: string;
  tenantId: number;
  /** The page's id, which its reports' events name (never sent). */
  pageId: string;
  /** Monitor id → component id (monitor ids are never sent). */
  components: Map<string, string>;
  /** Each component's status now, by monitor id. */
  statuses: Map<string, string>;
  /** A component's status after a check at `t` (`maintenance` inside one of its windows). */
  statusAt: (monitorId: string, success: boolean, t: number) => string;
  /** When a maintenance window of a component next starts or ends (ms), or `null`. */
  nextChangeAt: number | null;
}

/** Options of {@linkcode PublicStreams}. */
export interface PublicStreamsOptions {
  eventLog: EventLogReader;
  /** Finds a published page, or `null`. */
  resolvePage: (slug: string) => Promise<PublicPageView | null>;
  /**
   * Called when a maintenance window of a watched page starts or ends: drop
   * the tenant's cached pages and {@linkcode PublicStreams.refreshTenant}.
   * @default refreshTenant alone
   */
  renewTenant?: (tenantId: number) => void;
  log: Logger;
  /** @default 30 */
  heartbeatSeconds?: number;
  /** Frames a viewer may leave unread before it is cut (it reconnects and replays). @default 100 */
  clientBuffer?: number;
  /**
   * The tenant's events a replay reads at most. A viewer further behind (or
   * behind what the log still holds, or ahead of it) is sent `reset` instead
   * and reloads the page's JSON: one cached answer rather than a scan of the
   * tenant's log per viewer. @default 5000
   */
  replayLimit?: number;
}

interface Viewer {
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** Live frames waiting while the replay runs (`id` null: a frame without one). */
  parked: { id: number | null; bytes: Uint8Array }[] | null;
  lastId: number;
  closed: boolean;
}

interface Channel {
  page: PublicPageView;
  viewers: Set<Viewer>;
  /** Counts the status changes sent, so a view renewed meanwhile is told to be stale. */
  changes: number;
  /** Wakes at the page's next maintenance start or end. */
  timer?: ReturnType<typeof setTimeout>;
  /**
   * The tenant's latest event id known here: read from the log once
   * (`latestKnown`), then raised by every event the bus brings.
   */
  latestId: number;
  latestKnown: boolean;
  /** Its read from the log, while it runs (shared by the viewers that need it). */
  latestRead: Promise<number> | null;
  /**
   * The page's frames with an id, oldest first: every one after `recentFrom`
   * (`null`: not known yet), so a crowd that reconnects replays from memory.
   * A frame without an id is kept under the tenant's latest id + 0.5.
   */
  recent: { id: number; bytes: Uint8Array }[];
  recentFrom: number | null;
  /** A read of the log into `recent`, while it runs. */
  filling: Promise<void> | null;
  /** Raised when the bus missed events: a read begun before is not kept. */
  epoch: number;
}

/** A replay that finds the log does not reach back to the viewer's id. */
class Pruned extends Error {}

const REPLAY_PAGE = 500;
/** Frames each page keeps for replays (about 150 bytes each). */
const RECENT_FRAMES = 500;

/**
 * The public event streams of status pages: one channel per page, fed by the
 * tenant's events. A `monitor_check` that changes a component's status
 * becomes one `component_status` frame (`{component_id, status, checked_at}`,
 * id = the tenant's event id, so ids rise), and a `status_report` of the page
 * one `status_report` frame (the report), each encoded once and offered to
 * every viewer of the page; nothing else of the event is sent. A viewer that
 * reconnects with Last-Event-ID first gets the page's changes after it, from
 * the page's recent frames or the event log, or `reset` when that is more
 * than `replayLimit` of the tenant's events or no longer whole. A viewer that
 * falls `clientBuffer` frames behind is cut. A status that changes without an
 * event — a maintenance window starting or ending, or edited — is sent when
 * the page's view is renewed, as a `component_status` frame without an id,
 * and kept among the recent frames for the viewers that were away.
 */
export class PublicStreams {
  #opts: Required<PublicStreamsOptions>;
  #channels = new Map<string, Channel>();
  #heartbeat: ReturnType<typeof setInterval>;
  #closing = false;
  /** Tenants whose pages' renewal a maintenance boundary has asked for, this turn. */
  #renewDue = new Set<number>();

  constructor(opts: PublicStreamsOptions) {
    this.#opts = {
      heartbeatSeconds: 30,
      clientBuffer: 100,
      replayLimit: 5000,
      renewTenant: (tenantId) => this.refreshTenant(tenantId),
      ...opts,
    };
    this.#heartbeat = setInterval(() => {
      for (const ch of this.#channels.values()) {
        for (const v of ch.viewers) this.#send(ch, v, HEARTBEAT_FRAME);
      }
    }, this.#opts.heartbeatSeconds * 1000);
    Deno.unrefTimer(this.#heartbeat);
  }

  /** Open public streams in this instance. */
  get viewers(): number {
    let n = 0;
    for (const ch of this.#channels.values()) n += ch.viewers.size;
    return n;
  }

  #send(ch: Channel, v: Viewer, bytes: Uint8Array) {
    if (v.closed) return;
    if ((v.controller.desiredSize ?? 0) < -this.#opts.clientBuffer) {
      this.#end(ch, v); // too slow: it reconnects and replays
      return;
    }
    try {
      v.controller.enqueue(bytes);
    } catch {
      this.#end(ch, v);
    }
  }

  #end(ch: Channel, v: Viewer) {
    if (v.closed) return;
    v.closed = true;
    ch.viewers.delete(v);
    try {
      v.controller.close();
    } catch {
      // cancelled already
    }
    if (ch.viewers.size === 0 && this.#channels.get(ch.page.slug) === ch) {
      clearTimeout(ch.timer);
      this.#channels.delete(ch.page.slug);
    }
  }

  /** Sets the channel's timer for its page's next maintenance start or end. */
  #schedule(ch: Channel) {
    clearTimeout(ch.timer);
    ch.timer = undefined;
    if (ch.page.nextChangeAt === null || this.#closing) return;
    // A little after the boundary, so the page computed then is on its far side.
    const delay = Math.min(Math.max(0, ch.page.nextChangeAt - Date.now()) + 50, 2 ** 31 - 1);
    ch.timer = setTimeout(() => {
      ch.timer = undefined;
      if (this.#channels.get(ch.page.slug) !== ch) return;
      // The tenant's pages that reach the same boundary are renewed once, together.
      const tenantId = ch.page.tenantId;
      if (this.#renewDue.has(tenantId)) return;
      this.#renewDue.add(tenantId);
      setTimeout(() => {
        this.#renewDue.delete(tenantId);
        if (!this.#closing) this.#opts.renewTenant(tenantId);
      }, 0);
    }, delay);
    Deno.unrefTimer(ch.timer);
  }

  /** A frame for a report of the page, as it now stands. */
  static reportFrame(id: number, report: StatusReportData["report"]): Uint8Array {
    return encodeFrame({ id, event: "status_report", data: JSON.stringify(report) });
  }

  /** A frame for a status change of one component (`null`: one no event made, with no id). */
  static frame(
    id: number | null,
    componentId: string,
    status: string,
    checkedAt: string,
  ): Uint8Array {
    return encodeFrame({
      id: id ?? undefined,
      event: "component_status",
      data: JSON.stringify({ component_id: componentId, status, checked_at: checkedAt }),
    });
  }

  /**
   * Opens a viewer's stream of a published page, replaying after
   * `lastEventId` first; `null` for an unknown or unpublished page.
   */
  async open(slug: string, lastEventId: number | null): Promise<ReadableStream<Uint8Array> | null> {
    if (this.#closing) return null;
    let ch = this.#channels.get(slug);
    if (!ch) {
      const page = await this.#opts.resolvePage(slug);
      if (!page) return null;
      ch = this.#channels.get(slug);
      if (!ch) {
        ch = {
          page,
          viewers: new Set(),
          changes: 0,
          latestId: 0,
          latestKnown: false,
          latestRead: null,
          recent: [],
          recentFrom: null,
          filling: null,
          epoch: 0,
        };
        this.#channels.set(slug, ch);
        this.#schedule(ch);
        // Known before a frame without an id can need it (see #fanOut).
        this.#readLatest(ch).catch((e) =>
          this.#opts.log.warn("could not read a tenant's latest event id", { error: e })
        );
      }
    }
    const channel = ch;
    let viewer!: Viewer;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        viewer = {
          controller,
          parked: lastEventId === null ? null : [],
          lastId: lastEventId ?? -1,
          closed: false,
        };
        channel.viewers.add(viewer);
        controller.enqueue(OPENING_FRAME);
      },
      cancel: () => this.#end(channel, viewer),
    }, { highWaterMark: 0 });
    if (lastEventId !== null) this.#replay(channel, viewer, lastEventId);
    return stream;
  }

  /**
   * Replays the page's frames after `afterId` to a viewer: from the page's
   * recent frames when they reach back that far (a crowd that reconnects
   * costs one read of the log, not one each), else from the log.
   */
  async #replay(ch: Channel, v: Viewer, afterId: number) {
    try {
      let latest = ch.latestId;
      if (!ch.latestKnown || afterId > latest) latest = await this.#readLatest(ch);
      if (afterId > latest || latest - afterId > this.#opts.replayLimit) {
        this.#reset(ch, v); // from elsewhere, or too far behind
      } else {
        // Up to date, it may still have missed a frame without an id, kept after the latest.
        if (afterId < latest) await this.#fill(ch, afterId);
        const kept = afterId === latest || (ch.recentFrom !== null && ch.recentFrom <= afterId);
        // More frames than a page keeps: this viewer reads the log itself.
        for (const f of kept ? ch.recent : await this.#readFrames(ch, afterId)) {
          if (f.id <= afterId) continue;
          this.#send(ch, v, f.bytes);
          v.lastId = Math.max(v.lastId, f.id);
        }
      }
    } catch (e) {
      if (e instanceof Pruned) this.#reset(ch, v);
      else {
        this.#opts.log.warn("public stream replay failed", { error: e });
        this.#end(ch, v);
        return;
      }
    }
    this.#flushParked(ch, v);
  }

  /**
   * Tells a viewer the gap cannot be replayed: it reloads the page instead.
   * Every frame parked meanwhile follows (none is older than the page it
   * reads).
   */
  #reset(ch: Channel, v: Viewer) {
    v.lastId = -1;
    this.#send(ch, v, RESET_FRAME);
  }

  /** The tenant's latest event id from the log, one read at a time per page. */
  async #readLatest(ch: Channel): Promise<number> {
    ch.latestRead ??= this.#opts.eventLog.latestId(ch.page.tenantId).finally(() => {
      ch.latestRead = null;
    });
    const latest = await ch.latestRead;
    ch.latestId = Math.max(ch.latestId, latest);
    ch.latestKnown = true;
    return ch.latestId;
  }

  /**
   * Makes the page's recent frames reach back to `afterId`, reading the log
   * once for every viewer that asks meanwhile; the live frames that arrive
   * during the read are kept beside it.
   */
  async #fill(ch: Channel, afterId: number) {
    while (ch.filling) {
      await ch.filling.catch(() => {});
      if (ch.recentFrom !== null && ch.recentFrom <= afterId) return;
    }
    if (ch.recentFrom !== null && ch.recentFrom <= afterId) return;
    const epoch = ch.epoch;
    ch.filling = this.#readFrames(ch, afterId).then((read) => {
      if (ch.epoch !== epoch) return; // the bus missed events meanwhile: this read may too
      const byId = new Map(read.map((f) => [f.id, f]));
      for (const f of ch.recent) byId.set(f.id, f);
      const merged = [...byId.values()].sort((a, b) => a.id - b.id);
      ch.recent = merged;
      ch.recentFrom = afterId;
      this.#trim(ch);
    }).finally(() => {
      ch.filling = null;
    });
    await ch.filling;
  }

  /** Keeps the page's last `RECENT_FRAMES` frames; those before are known no more. */
  #trim(ch: Channel) {
    const over = ch.recent.length - RECENT_FRAMES;
    if (over <= 0) return;
    ch.recentFrom = ch.recent[over - 1].id;
    ch.recent.splice(0, over);
  }

  /** The page's frames after `afterId` from the log; `Pruned` when it no longer reaches back. */
  async #readFrames(ch: Channel, afterId: number): Promise<{ id: number; bytes: Uint8Array }[]> {
    const frames: { id: number; bytes: Uint8Array }[] = [];
    let cursor = afterId;
    for (;;) {
      const events = await this.#opts.eventLog.readAfter(ch.page.tenantId, cursor, REPLAY_PAGE);
      // A tenant's ids have no holes: a log that does not go on from afterId was pruned.
      if (cursor === afterId && events[0]?.id !== afterId + 1) throw new Pruned();
      for (const e of events) {
        cursor = e.id;
        const bytes = this.#frameOf(ch, e);
        if (bytes) frames.push({ id: e.id, bytes });
      }
      if (cursor > ch.latestId) ch.latestId = cursor;
      if (events.length < REPLAY_PAGE) return frames;
    }
  }

  /**
   * The page's frame for an event as it was then (`null`: nothing of this
   * page). `live`: the event is new, so a check that leaves its component's
   * status as it was is no frame, and one that changes it is recorded.
   */
  #frameOf(ch: Channel, e: StoredEvent, live = false): Uint8Array | null {
    if (e.type === "status_report") {
      return e.data.page_id === ch.page.pageId
        ? PublicStreams.reportFrame(e.id, e.data.report)
        : null;
    }
    if (e.type !== "monitor_check") return null;
    const component = ch.page.components.get(e.data.monitor_id);
    if (!component) return null;
    const status = ch.page.statusAt(
      e.data.monitor_id,
      e.data.success,
      Date.parse(e.data.checked_at),
    );
    if (live) {
      if (ch.page.statuses.get(e.data.monitor_id) === status) return null; // no change
      ch.page.statuses.set(e.data.monitor_id, status);
      ch.changes++;
    }
    return PublicStreams.frame(e.id, component, status, e.data.checked_at);
  }

  /** Ends a replay: the live frames that waited for it and are newer than it go out. */
  #flushParked(ch: Channel, v: Viewer) {
    const parked = v.parked ?? [];
    v.parked = null;
    for (const p of parked) {
      if (p.id === null) this.#send(ch, v, p.bytes);
      else if (p.id > v.lastId) {
        v.lastId = p.id;
        this.#send(ch, v, p.bytes);
      }
    }
  }

  /**
   * Offers a stored event to the pages it concerns: those showing its monitor,
   * or its page. A tenant's ids have no holes, so an id past the next one
   * means the bus missed events and this one came before the catch-up read
   * them (its connection was re-established): they can no longer be sent in
   * order, so the tenant's pages are renewed (their cached copies dropped,
   * each changed component sent without an id) and their viewers are sent
   * `reset`, which makes them read the page again, reports included.
   */
  publish(event: StoredEvent): void {
    let missed = false;
    for (const ch of this.#channels.values()) {
      if (ch.page.tenantId !== event.tenant_id) continue;
      if (ch.latestKnown && event.id > ch.latestId + 1) {
        missed = true;
        this.#missed(ch);
      }
      if (event.id > ch.latestId) ch.latestId = event.id;
      const bytes = this.#frameOf(ch, event, true);
      if (bytes) this.#fanOut(ch, event.id, bytes);
    }
    if (missed) this.#opts.renewTenant(event.tenant_id);
  }

  /** The bus missed events: the page's kept frames may have a hole, and a read begun before is not kept. */
  #forgetRecent(ch: Channel) {
    ch.epoch++;
    ch.recent = [];
    ch.recentFrom = null;
  }

  /**
   * The bus missed events of the page's tenant: its kept frames have a hole
   * (the next replay reads the log) and its viewers are told to read the
   * page again, those still replaying once their replay ends.
   */
  #missed(ch: Channel) {
    this.#forgetRecent(ch);
    for (const v of ch.viewers) {
      if (v.parked) v.parked.push({ id: null, bytes: RESET_FRAME });
      else this.#reset(ch, v);
    }
  }

  /**
   * Offers one encoded frame to every viewer of a page (parked while a viewer
   * replays); a frame without an id goes to every viewer.
   */
  #fanOut(ch: Channel, id: number | null, bytes: Uint8Array) {
    // Kept for replays; a frame without an id as coming after the tenant's latest event, so a
    // viewer that comes back from that event gets it again (the same status, once more).
    const key = id ?? (ch.latestKnown ? ch.latestId + 0.5 : null);
    if (key !== null && key > (ch.recent.at(-1)?.id ?? -1)) {
      ch.recent.push({ id: key, bytes });
      this.#trim(ch);
    }
    for (const v of ch.viewers) {
      if (v.parked) v.parked.push({ id, bytes });
      else if (id === null) this.#send(ch, v, bytes);
      else if (id > v.lastId) {
        v.lastId = id;
        this.#send(ch, v, bytes);
      }
    }
  }

  /**
   * Renews the view of a tenant's pages its viewers watch (after its pages,
   * monitors or maintenance windows changed, or a window started or ended),
   * in place: the viewers stay, and each component whose status the new view
   * changes is sent. A page that is no longer published ends its viewers'
   * streams.
   */
  refreshTenant(tenantId: number): void {
    for (const ch of [...this.#channels.values()]) {
      if (ch.page.tenantId === tenantId) this.#renew(ch);
    }
  }

  #renew(ch: Channel, tries = 0) {
    const changes = ch.changes;
    this.#opts.resolvePage(ch.page.slug).then((page) => {
      if (this.#channels.get(ch.page.slug) !== ch) return; // no viewer left
      if (!page || page.tenantId !== ch.page.tenantId) {
        for (const v of [...ch.viewers]) {
          this.#send(ch, v, SHUTDOWN_FRAME);
          this.#end(ch, v);
        }
        return;
      }
      const old = ch.page;
      if (ch.changes !== changes) {
        // A change sent while the page was read may be newer than what was read: read it
        // again, or (statuses changing that fast) keep the statuses the changes set.
        if (tries < 2) return this.#renew(ch, tries + 1);
        for (const [monitorId, status] of old.statuses) {
          if (page.statuses.has(monitorId)) page.statuses.set(monitorId, status);
        }
      }
      ch.page = page;
      const at = new Date().toISOString();
      for (const [monitorId, componentId] of page.components) {
        const before = old.statuses.get(monitorId);
        const now = page.statuses.get(monitorId);
        if (before === undefined || now === undefined || before === now) continue;
        this.#fanOut(ch, null, PublicStreams.frame(null, componentId, now, at));
      }
      this.#schedule(ch);
    }, (e) => this.#opts.log.warn("could not renew a status page's view", { error: e }));
  }

  /**
   * After the bus missed events (its connection was re-established): offers
   * each watched tenant's events since the latest one seen here to the pages,
   * as live, and forgets the pages' recent frames, which the gap may have
   * left with a hole (the next replay reads the log).
   */
  async catchUp(): Promise<void> {
    const after = new Map<number, number>();
    for (const ch of this.#channels.values()) {
      this.#forgetRecent(ch);
      if (!ch.latestKnown) continue;
      const seen = after.get(ch.page.tenantId);
      after.set(ch.page.tenantId, seen === undefined ? ch.latestId : Math.min(seen, ch.latestId));
    }
    for (const [tenantId, latest] of after) {
      for (let cursor = latest;;) {
        const missed = await this.#opts.eventLog.readAfter(tenantId, cursor, REPLAY_PAGE);
        for (const event of missed) {
          this.publish(event);
          cursor = event.id;
        }
        if (missed.length < REPLAY_PAGE) break;
      }
    }
  }

  /** Closes every stream with a reconnect hint. */
  close(): void {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    for (const ch of [...this.#channels.values()]) {
      clearTimeout(ch.timer);
      for (const v of [...ch.viewers]) {
        this.#send(ch, v, SHUTDOWN_FRAME);
        this.#end(ch, v);
      }
    }
  }
}
