import type { StoredEvent } from "../events/envelope.ts";
import type { EventLogReader } from "../events/event_log.ts";

/** Called by a stream when it ends: `"overflow"` when its buffer overflowed. */
export type StreamEnd = "overflow" | "client" | "shutdown" | "error" | "revoked";

const REPLAY_PAGE = 500;
/** Events younger than this are a burst in transit, not a backlog. */
export const BURST_GRACE_MS = 50;
/** Events beyond the buffer one burst may add. */
const MAX_BURST = 1000;

/**
 * One client's event stream. Pull-based: the HTTP layer pulls a frame only when
 * the socket took the previous one, so `#queue` holds exactly what the client
 * has not received yet; when a pull is waiting on an empty queue the next
 * frame is handed over directly. Live frames beyond `capacity` close the stream (the
 * client reconnects and replays); replay waits for room instead.
 *
 * While replaying, live frames are parked and then released without the ids
 * already sent, so the hand-over from replay to live has no gap and no
 * duplicate. A live id that skips ahead of the last one sent (a notification
 * lost while the database connection was down) triggers a replay of the gap.
 */
export class SseStream {
  readonly tenantId: number;
  readonly readable: ReadableStream<Uint8Array>;
  /** Frames the client has not received; `event` marks those counted against the buffer. */
  #queue: { bytes: Uint8Array; event: boolean; at: number }[] = [];
  #queuedEvents = 0;
  #parked: { id: number; bytes: Uint8Array }[] = [];
  #capacity: number;
  #lastId: number;
  #replaying = false;
  #closed = false;
  /** A read is pending and nothing is queued. */
  #wanted = false;
  /** Resolves a replay waiting for room in the buffer. */
  #drain: (() => void) | undefined;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #onEnd: (stream: SseStream, why: StreamEnd) => void;
  #log: EventLogReader;
  #encode: (event: StoredEvent) => Uint8Array;
  #reset: Uint8Array;

  constructor(opts: {
    tenantId: number;
    capacity: number;
    /** The last id the client has, or `null` for a fresh stream (live only). */
    lastEventId: number | null;
    log: EventLogReader;
    encode: (event: StoredEvent) => Uint8Array;
    /** The opening frame (`retry:`). */
    first: Uint8Array;
    /** Sent when the log cannot fill the gap after `lastEventId`. */
    reset: Uint8Array;
    onEnd: (stream: SseStream, why: StreamEnd) => void;
  }) {
    this.tenantId = opts.tenantId;
    this.#capacity = opts.capacity;
    this.#lastId = opts.lastEventId ?? -1;
    this.#log = opts.log;
    this.#encode = opts.encode;
    this.#reset = opts.reset;
    this.#onEnd = opts.onEnd;
    this.#queue.push({ bytes: opts.first, event: false, at: 0 });
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      // Called when the HTTP layer wants the next chunk (the socket took the last one).
      pull: (controller) => {
        const next = this.#queue.shift();
        if (next) {
          if (next.event) this.#queuedEvents--;
          controller.enqueue(next.bytes);
          if (this.#queuedEvents < this.#capacity) this.#releaseDrain();
        } else if (this.#closed) {
          this.#finish();
        } else {
          this.#wanted = true; // the next frame goes straight through
        }
      },
      cancel: () => this.close("client"),
    }, { highWaterMark: 0 });
    if (opts.lastEventId !== null) this.#replay(opts.lastEventId, true);
  }

  /** Events waiting for the client. */
  get queued(): number {
    return this.#queuedEvents;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #push(bytes: Uint8Array, event = true) {
    if (bytes.length === 0) return; // an event this stream does not carry (its id still counts)
    if (this.#wanted && this.#queue.length === 0) {
      // A read is waiting: hand the shared bytes over without queueing or a promise.
      this.#wanted = false;
      this.#controller.enqueue(bytes);
      return;
    }
    this.#queue.push({ bytes, event, at: event ? performance.now() : 0 });
    if (event) this.#queuedEvents++;
  }

  /** Offers a live event; may close the stream on overflow. */
  deliver(event: StoredEvent, bytes: Uint8Array): void {
    if (this.#closed || event.id <= this.#lastId) return;
    if (this.#replaying) {
      this.#parked.push({ id: event.id, bytes });
      if (this.#parked.length > this.#capacity * 100 + 1000) {
        this.close("overflow");
      }
      return;
    }
    if (this.#lastId >= 0 && event.id > this.#lastId + 1) {
      this.#parked.push({ id: event.id, bytes });
      this.#replay(this.#lastId, false);
      return;
    }
    if (this.#queuedEvents >= this.#capacity && this.#overflowing()) {
      this.close("overflow");
      return;
    }
    this.#lastId = event.id;
    this.#push(bytes);
  }

  /**
   * Whether the client is not keeping up: at least `capacity` events have
   * waited longer than {@linkcode BURST_GRACE_MS}. Events that arrived together
   * (a batch of checks stored in one transaction) do not count against a client
   * that is reading them; the queue is bounded by `capacity` plus one burst.
   */
  #overflowing(): boolean {
    if (this.#queuedEvents >= this.#capacity + MAX_BURST) return true;
    const before = performance.now() - BURST_GRACE_MS;
    let old = 0;
    for (const entry of this.#queue) {
      if (!entry.event) continue;
      if (entry.at > before) break;
      if (++old >= this.#capacity) return true;
    }
    return false;
  }

  /** Sends a heartbeat comment unless frames are already waiting. */
  heartbeat(bytes: Uint8Array): void {
    if (!this.#closed && this.#queue.length === 0) this.#push(bytes, false);
  }

  async #replay(afterId: number, initial: boolean) {
    this.#replaying = true;
    try {
      if (initial && !await this.#log.canReplayFrom(this.tenantId, afterId)) {
        // The gap cannot be filled: tell the client to reload over REST, then go live.
        this.#lastId = await this.#log.latestId(this.tenantId);
        this.#push(this.#reset);
      } else {
        let cursor = afterId;
        for (;;) {
          const page = await this.#log.readAfter(
            this.tenantId,
            cursor,
            REPLAY_PAGE,
          );
          for (const event of page) {
            if (this.#closed) return;
            while (this.#queuedEvents >= this.#capacity && !this.#closed) {
              await new Promise<void>((resolve) => (this.#drain = resolve));
            }
            this.#push(this.#encode(event));
            cursor = event.id;
          }
          if (page.length < REPLAY_PAGE) break;
        }
        this.#lastId = Math.max(this.#lastId, cursor);
      }
    } catch {
      this.close("error");
      return;
    }
    const parked = this.#parked;
    this.#parked = [];
    this.#replaying = false;
    for (const p of parked) {
      if (p.id <= this.#lastId) continue;
      if (p.id > this.#lastId + 1) {
        // Still a gap (the event is committed but the page above predates it).
        this.#parked = parked.filter((q) => q.id >= p.id);
        this.#replay(this.#lastId, false);
        return;
      }
      this.#lastId = p.id;
      this.#push(p.bytes);
    }
  }

  #releaseDrain() {
    this.#drain?.();
    this.#drain = undefined;
  }

  /** Closes the stream, optionally after a last frame (a reconnect hint on shutdown). */
  close(why: StreamEnd, last?: Uint8Array): void {
    if (this.#closed) return;
    this.#closed = true;
    if (why === "overflow" || why === "client" || why === "error" || why === "revoked") {
      this.#queue = [];
      this.#queuedEvents = 0;
    }
    if (last) this.#push(last, false);
    this.#releaseDrain();
    // Anything still queued drains through pull(), which then closes.
    if (this.#queue.length === 0) this.#finish();
    this.#onEnd(this, why);
  }

  #finish() {
    try {
      this.#controller.close();
    } catch {
      // already closed or cancelled
    }
  }
}
