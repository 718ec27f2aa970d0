import { iso } from "../db/rows.ts";

/** How a window repeats: its times again every day, or on given weekdays, until a date. */
export interface Recurrence {
  freq: "daily" | "weekly";
  /** 0 = Sunday … 6 = Saturday (weekly only; default: the weekday of `starts_at`). */
  weekdays?: number[];
  /** No occurrence starts after this. */
  until?: string;
}

/** A maintenance window as API.md shows it. */
export interface MaintenanceWindow {
  id: string;
  title: string;
  message: string | null;
  /** Empty: every monitor of the tenant. */
  monitor_ids: string[];
  starts_at: string;
  ends_at: string;
  recurrence: Recurrence | null;
  mute_notifications: boolean;
  exclude_from_uptime: boolean;
  /** Whether an occurrence is on now (computed when answered). */
  active: boolean;
  created_at: string;
}

/** The columns {@linkcode maintenanceFromRow} reads. */
export const MAINTENANCE_COLUMNS =
  "id, title, message, monitor_ids, starts_at, ends_at, recurrence, mute_notifications, exclude_from_uptime, created_at";

const DAY = 86_400_000;

/**
 * The occurrence of a window that covers `t`, or `null`. Pure: a one-off
 * window covers [starts_at, ends_at); a recurring one repeats that span each
 * day (or on its weekdays, UTC) from its first start until `until`.
 */
export function occurrenceAt(
  w: Pick<MaintenanceWindow, "starts_at" | "ends_at" | "recurrence">,
  t: number,
): { start: number; end: number } | null {
  const start = Date.parse(w.starts_at);
  const length = Date.parse(w.ends_at) - start;
  if (length <= 0) return null;
  if (!w.recurrence) {
    return t >= start && t < start + length ? { start, end: start + length } : null;
  }
  if (t < start) return null;
  const until = w.recurrence.until ? Date.parse(w.recurrence.until) : Infinity;
  // The latest occurrence that began at or before t, looking back as far as the span reaches.
  const days = Math.floor((t - start) / DAY);
  for (let d = days; d >= 0 && (days - d) * DAY < length + DAY; d--) {
    const s = start + d * DAY;
    if (s > until) continue;
    if (w.recurrence.freq === "weekly") {
      const weekdays = w.recurrence.weekdays?.length
        ? w.recurrence.weekdays
        : [new Date(start).getUTCDay()];
      if (!weekdays.includes(new Date(s).getUTCDay())) continue;
    }
    if (t >= s && t < s + length) return { start: s, end: s + length };
  }
  return null;
}

/**
 * The occurrence on at `from`, or else the next one starting within
 * `horizonMs` (for "upcoming maintenance"); `null` when there is none.
 */
export function currentOrNext(
  w: Pick<MaintenanceWindow, "starts_at" | "ends_at" | "recurrence">,
  from: number,
  horizonMs: number,
): { start: number; end: number } | null {
  const now = occurrenceAt(w, from);
  if (now) return now;
  const start = Date.parse(w.starts_at);
  const length = Date.parse(w.ends_at) - start;
  if (length <= 0) return null;
  if (!w.recurrence) {
    return start > from && start <= from + horizonMs ? { start, end: start + length } : null;
  }
  const until = w.recurrence.until ? Date.parse(w.recurrence.until) : Infinity;
  const first = Math.max(0, Math.floor((from - start) / DAY));
  for (let d = first; d <= first + Math.ceil(horizonMs / DAY) + 1; d++) {
    const s = start + d * DAY;
    if (s <= from || s > from + horizonMs || s > until) continue;
    if (w.recurrence.freq === "weekly") {
      const weekdays = w.recurrence.weekdays?.length
        ? w.recurrence.weekdays
        : [new Date(start).getUTCDay()];
      if (!weekdays.includes(new Date(s).getUTCDay())) continue;
    }
    return { start: s, end: s + length };
  }
  return null;
}

/**
 * When the maintenance status of one of `monitorIds` next changes after
 * `from`: the end of an occurrence on now or the start of the next one, the
 * earliest over the windows that cover one of them; `null` when none is due
 * within `horizonMs`.
 */
export function nextMaintenanceChange(
  windows: readonly Pick<
    MaintenanceWindow,
    "starts_at" | "ends_at" | "recurrence" | "monitor_ids"
  >[],
  monitorIds: Iterable<string>,
  from: number,
  horizonMs = 8 * DAY,
): number | null {
  const ids = [...monitorIds];
  let next: number | null = null;
  for (const w of windows) {
    if (!ids.some((id) => coversMonitor(w, id))) continue;
    const occurrence = currentOrNext(w, from, horizonMs);
    if (!occurrence) continue;
    const at = occurrence.start > from ? occurrence.start : occurrence.end;
    if (next === null || at < next) next = at;
  }
  return next;
}

/** Whether a window applies to a monitor (an empty list means every monitor). */
export function coversMonitor(
  w: Pick<MaintenanceWindow, "monitor_ids">,
  monitorId: string,
): boolean {
  return w.monitor_ids.length === 0 || w.monitor_ids.includes(monitorId);
}

/** Whether `monitorId` is in one of `windows` at `t`, optionally only windows with a flag. */
export function inMaintenance(
  windows: readonly MaintenanceWindow[],
  monitorId: string,
  t: number,
  flag?: "mute_notifications" | "exclude_from_uptime",
): boolean {
  return windows.some((w) =>
    (!flag || w[flag]) && coversMonitor(w, monitorId) && occurrenceAt(w, t) !== null
  );
}

/** Maps a `maintenance_windows` row to its API shape, `active` at `now`. */
export function maintenanceFromRow(
  row: Record<string, unknown>,
  now = Date.now(),
): MaintenanceWindow {
  const w = {
    id: row.id as string,
    title: row.title as string,
    message: (row.message as string | null) ?? null,
    monitor_ids: (row.monitor_ids as string[] | null) ?? [],
    starts_at: iso(row.starts_at)!,
    ends_at: iso(row.ends_at)!,
    recurrence: (row.recurrence as Recurrence | null) ?? null,
    mute_notifications: row.mute_notifications as boolean,
    exclude_from_uptime: row.exclude_from_uptime as boolean,
    active: false,
    created_at: iso(row.created_at)!,
  };
  w.active = occurrenceAt(w, now) !== null;
  return w;
}
