import type { StoredEvent } from "./envelope.ts";
import type { EventLogReader } from "./event_log.ts";

/**
 * An event log held in an array, for the stream code's unit tests: the
 * events it holds are the log, ids as the database gives them (rising per
 * tenant); `gate` holds every read until it settles, so a test can publish
 * live events while a replay is still reading.
 */
export function memoryEventLog(events: StoredEvent[], gate?: Promise<void>): EventLogReader {
  return {
    async readAfter(tenantId, afterId, limit) {
      await gate;
      return events.filter((e) => e.tenant_id === tenantId && e.id > afterId).slice(0, limit);
    },
    canReplayFrom: (tenantId, afterId) => {
      const ids = events.filter((e) => e.tenant_id === tenantId).map((e) => e.id);
      const latest = Math.max(0, ...ids);
      return Promise.resolve(
        afterId <= latest && (afterId === latest || ids.includes(afterId + 1)),
      );
    },
    latestId: (tenantId) =>
      Promise.resolve(
        Math.max(0, ...events.filter((e) => e.tenant_id === tenantId).map((e) => e.id)),
      ),
  };
}
