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
 * One client's event stream. Frames go straight into the stream's own queue
 * (no `pull()`: a read waiting for data takes a frame at once, without a
 * callback or a promise of ours per frame, as in a bare `Deno.serve`
 * broadcast). What the client has not taken yet is read off the queue's
 * `desiredSize` (its high-water mark is 0, so it is minus the chunks
 * waiting); `#unreadAt` mirrors those chunks, oldest first, with the time an
 * event was queued, so a backlog is told from a burst in transit. Live
 * frames beyond `capacity` close the stream (the client reconnects and
 * replays); replay waits for room instead.
 *
 * While replaying, live frames are parked and then released without the ids
 * already sent, so the hand-over from replay to live has no gap and no
 * duplicate. A live id that skips ahead of the last one sent (a notification
 * lost while the database connection was down) triggers a replay of the gap.
 */
export class SseStream {
  readonly tenantId: number;
  readonly readable: ReadableStream<Uint8Array>;
  /** The chunks still in the stream's queue, oldest first: when an event was queued, -1 for others. */
  #unreadAt: number[] = [];
  #queuedEvents = 0;
  #parked: { id: number; bytes: Uint8Array }[] = [];
  #capacity: number;
  #lastId: number;
  #replaying = false;
  #closed = false;
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
    this.readable = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        this.#push(opts.first, false);
      },
      cancel: () => this.close("client"),
    }, { highWaterMark: 0 });
    if (opts.lastEventId !== null) this.#replay(opts.lastEventId, true);
  }

  /** Events waiting for the client. */
  get queued(): number {
    this.#forgetTaken();
    return this.#queuedEvents;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Drops from `#unreadAt` the chunks the client took since (they left the queue's front). */
  #forgetTaken() {
    const unread = Math.max(0, -(this.#controller.desiredSize ?? 0));
    const taken = this.#unreadAt.length - unread;
    if (taken <= 0) return;
    if (unread === 0) {
      this.#unreadAt.length = 0;
      this.#queuedEvents = 0;
      return;
    }
    for (let i = 0; i < taken; i++) if (this.#unreadAt[i] >= 0) this.#queuedEvents--;
    this.#unreadAt.splice(0, taken);
  }

  #push(bytes: Uint8Array, event = true) {
    if (bytes.length === 0) return; // an event this stream does not carry (its id still counts)
    try {
      this.#controller.enqueue(bytes);
    } catch {
      this.close("error"); // the stream was cancelled meanwhile
      return;
    }
    // A read that was waiting took it at once: nothing is left unread (the common case).
    if (this.#unreadAt.length === 0 && this.#controller.desiredSize === 0) return;
    this.#unreadAt.push(event ? performance.now() : -1);
    if (event) this.#queuedEvents++;
    this.#forgetTaken();
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
    if (this.#unreadAt.length > 0) this.#forgetTaken();
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
    for (const at of this.#unreadAt) {
      if (at < 0) continue;
      if (at > before) break;
      if (++old >= this.#capacity) return true;
    }
    return false;
  }

  /** Sends a heartbeat comment unless frames are already waiting. */
  heartbeat(bytes: Uint8Array): void {
    if (this.#closed) return;
    this.#forgetTaken();
    if (this.#unreadAt.length === 0) this.#push(bytes, false);
  }

  /** Waits until the client has room for one more replayed event (or the stream closed). */
  async #roomForReplay() {
    for (let wait = 5; !this.#closed; wait = Math.min(100, wait * 2)) {
      this.#forgetTaken();
      if (this.#queuedEvents < this.#capacity) return;
      await new Promise((r) => setTimeout(r, wait));
    }
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
            if (this.#queuedEvents >= this.#capacity) await this.#roomForReplay();
            if (this.#closed) return;
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

  /**
   * Closes the stream, optionally after a last frame (a reconnect hint on
   * shutdown). What the client has not taken yet still reaches it before the
   * end; its reconnect then starts from the last id it got.
   */
  close(why: StreamEnd, last?: Uint8Array): void {
    if (this.#closed) return;
    if (last) this.#push(last, false);
    this.#closed = true;
    this.#parked = [];
    try {
      this.#controller.close();
    } catch {
      // already closed or cancelled
    }
    this.#onEnd(this, why);
  }
}
