import type { Database } from "../db/database.ts";
import type { StoredEvent } from "../events/envelope.ts";
import { canReplayFrom, readEventsAfter } from "../events/event_log.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import { encodeComment, encodeEvent } from "./encode_event.ts";
import { type EventLogReader, SseStream, type StreamEnd } from "./sse_stream.ts";

/** Options of {@linkcode SseHub}. */
export interface SseHubOptions {
  /** Seconds between heartbeat comments. @default 30 */
  heartbeatSeconds?: number;
  /** Live events queued per stream before it is cut. @default 10 */
  clientBuffer?: number;
  /** Streams one tenant may hold in this instance. @default 100 */
  maxPerTenant?: number;
  metrics: Metrics;
  log: Logger;
  /** Where replays read from. */
  eventLog: EventLogReader;
}

/** Thrown by {@linkcode SseHub.open} when the tenant holds its maximum of streams. */
export class TooManyStreamsError extends Error {
  override name = "TooManyStreamsError";
}

const encoder = new TextEncoder();

/** Encodes a stored event as its SSE frame bytes (API.md: data is the envelope). */
export function encodeStoredEvent(event: StoredEvent): Uint8Array {
  return encoder.encode(encodeEvent({
    id: event.id,
    event: event.type,
    data: JSON.stringify({
      type: event.type,
      data: event.data,
      tenant_id: event.tenant_id,
    }),
  }));
}

/** The event log reader over the database. */
export function databaseEventLog(db: Database): EventLogReader {
  return {
    readAfter: (tenantId, afterId, limit) => readEventsAfter(db, tenantId, afterId, { limit }),
    canReplayFrom: (tenantId, afterId) => canReplayFrom(db, tenantId, afterId),
    async latestId(tenantId) {
      const rows = await db.query<{ seq: number }>(
        "SELECT event_seq AS seq FROM tenants WHERE id = $1",
        [
          tenantId,
        ],
      );
      return Number(rows[0]?.seq ?? 0);
    },
  };
}

/**
 * The SSE hub: tenant channels of streams. Each event is encoded once and the
 * same bytes are offered to every stream of its tenant; a stream whose buffer
 * overflows is closed on its own, so no stream waits for another. One timer
 * sends every heartbeat.
 */
export class SseHub {
  #channels = new Map<number, Set<SseStream>>();
  #count = 0;
  #opts: Required<SseHubOptions>;
  #heartbeat: ReturnType<typeof setInterval>;
  #heartbeatBytes = encoder.encode(encodeComment("heartbeat"));
  #closing = false;
  /** The highest id seen per tenant, to catch up after a lost LISTEN connection. */
  #lastSeen = new Map<number, number>();

  constructor(opts: SseHubOptions) {
    this.#opts = {
      heartbeatSeconds: 30,
      clientBuffer: 10,
      maxPerTenant: 100,
      ...opts,
    };
    this.#heartbeat = setInterval(
      () => this.#beat(),
      this.#opts.heartbeatSeconds * 1000,
    );
    Deno.unrefTimer(this.#heartbeat);
    opts.metrics.gauge(
      "vinsight_sse_connections",
      "Open event streams.",
      () => this.#count,
    );
  }

  /** Open streams in this instance. */
  get connections(): number {
    return this.#count;
  }

  /** Open streams of one tenant in this instance. */
  connectionsOf(tenantId: number): number {
    return this.#channels.get(tenantId)?.size ?? 0;
  }

  /**
   * Opens a stream for a tenant. With `lastEventId`, it first replays every
   * later event from the log, then goes live. Throws
   * {@linkcode TooManyStreamsError} at the tenant's limit.
   */
  open(
    tenantId: number,
    lastEventId: number | null,
    signal?: AbortSignal,
  ): SseStream {
    if (this.#closing) {
      throw new TooManyStreamsError("The server is shutting down");
    }
    let channel = this.#channels.get(tenantId);
    if ((channel?.size ?? 0) >= this.#opts.maxPerTenant) {
      throw new TooManyStreamsError(
        `This tenant already holds ${this.#opts.maxPerTenant} event streams`,
      );
    }
    if (!channel) this.#channels.set(tenantId, channel = new Set());
    const stream = new SseStream({
      tenantId,
      capacity: this.#opts.clientBuffer,
      lastEventId,
      log: this.#opts.eventLog,
      encode: encodeStoredEvent,
      first: encoder.encode("retry: 1000\n\n"),
      onEnd: (s, why) => this.#remove(s, why),
    });
    channel.add(stream);
    this.#count++;
    signal?.addEventListener("abort", () => stream.close("client"), {
      once: true,
    });
    return stream;
  }

  #remove(stream: SseStream, why: StreamEnd) {
    const channel = this.#channels.get(stream.tenantId);
    if (!channel?.delete(stream)) return;
    this.#count--;
    if (channel.size === 0) this.#channels.delete(stream.tenantId);
    if (why === "overflow") {
      this.#opts.metrics.sseSlowClientDisconnects++;
      this.#opts.log.info("sse stream cut: buffer overflow", {
        tenant_id: stream.tenantId,
      });
    }
  }

  /** Hands one event to every stream of its tenant. */
  publish(event: StoredEvent): void {
    this.#opts.metrics.sseEventsPublished++;
    if ((this.#lastSeen.get(event.tenant_id) ?? 0) < event.id) {
      this.#lastSeen.set(event.tenant_id, event.id);
    }
    const channel = this.#channels.get(event.tenant_id);
    if (!channel) return;
    const bytes = encodeStoredEvent(event);
    for (const stream of channel) stream.deliver(event, bytes);
  }

  /**
   * After the notification connection was lost and re-established, republishes
   * what each tenant with open streams may have missed.
   */
  async catchUp(): Promise<void> {
    for (const tenantId of [...this.#channels.keys()]) {
      const after = this.#lastSeen.get(tenantId);
      if (after === undefined) continue;
      const missed = await this.#opts.eventLog.readAfter(
        tenantId,
        after,
        10_000,
      );
      for (const event of missed) this.publish(event);
    }
  }

  #beat() {
    for (const channel of this.#channels.values()) {
      for (const stream of channel) stream.heartbeat(this.#heartbeatBytes);
    }
  }

  /**
   * Closes every stream with a reconnect hint, so clients reconnect (to another
   * instance) at once, and stops the heartbeat timer.
   */
  close(): void {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    const hint = encoder.encode("retry: 250\n: server shutting down\n\n");
    for (const channel of [...this.#channels.values()]) {
      for (const stream of [...channel]) stream.close("shutdown", hint);
    }
  }
}
