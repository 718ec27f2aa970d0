import type { Database } from "../db/database.ts";
import { EVENTS_CHANNEL } from "./append_events.ts";
import { notificationSchema, type StoredEvent } from "./envelope.ts";
import { readEventsAfter } from "./event_log.ts";

/** Options of {@linkcode listenForEvents}. */
export interface ListenOptions {
  /** Told about a payload that could not be read (it is skipped). */
  onError?: (error: unknown) => void;
}

/**
 * Subscribes to the event bus: every event committed by any instance on this
 * database reaches `onEvent`, in each tenant's commit order. A notification
 * that was too large travels by id and is read back from the log; later
 * events of the same tenant wait for it, so nothing overtakes it. `onGap` is
 * called when the listening connection was re-established, since events may
 * have been missed meanwhile (the caller replays them from the log).
 * Resolves to a function that stops listening.
 */
export async function listenForEvents(
  db: Database,
  onEvent: (event: StoredEvent) => void,
  onGap: () => void,
  opts: ListenOptions = {},
): Promise<() => Promise<void>> {
  /** Per tenant, events waiting behind one that is being read back. */
  const waiting = new Map<number, { event: StoredEvent | null; ready: boolean }[]>();

  function drain(tenantId: number) {
    const queue = waiting.get(tenantId);
    if (!queue) return;
    while (queue.length > 0 && queue[0].ready) {
      const { event } = queue.shift()!;
      if (event) onEvent(event);
    }
    if (queue.length === 0) waiting.delete(tenantId);
  }

  function onPayload(payload: string) {
    let note;
    try {
      note = notificationSchema.parse(JSON.parse(payload));
    } catch (e) {
      opts.onError?.(e);
      return;
    }
    const queue = waiting.get(note.tenant_id);
    if ("truncated" in note) {
      const slot = { event: null as StoredEvent | null, ready: false };
      if (queue) queue.push(slot);
      else waiting.set(note.tenant_id, [slot]);
      readEventsAfter(db, note.tenant_id, note.id - 1, { upTo: note.id }).then(
        ([event]) => {
          slot.event = event ?? null;
        },
        (e) => opts.onError?.(e),
      ).finally(() => {
        slot.ready = true;
        drain(note.tenant_id);
      });
      return;
    }
    const event = note;
    if (queue) queue.push({ event, ready: true });
    else onEvent(event);
  }

  return await db.listen(EVENTS_CHANNEL, onPayload, onGap);
}
