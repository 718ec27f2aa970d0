import type { StoredEvent } from "../events/envelope.ts";
import type { EventLogReader } from "../events/event_log.ts";
import type { Logger } from "../log.ts";
import type { Metrics } from "../metrics.ts";
import {
  encodeStoredEvent,
  HEARTBEAT_FRAME,
  OPENING_FRAME,
  RESET_FRAME,
  SHUTDOWN_FRAME,
} from "./encode_frame.ts";
import { SseStream, type StreamEnd } from "./sse_stream.ts";

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

/**
 * The SSE hub: tenant channels of streams. Each event is encoded once and the
 * same bytes are offered to every stream of its tenant; a stream whose buffer
 * overflows is closed on its own, so no stream waits for another. One timer
 * sends every heartbeat.
 */
/** Whose credential opened a stream, so ending that credential can end the stream. */
export interface StreamOwner {
  userId?: string;
  /** The token session, when a token (not a ticket) opened it. */
  sessionId?: string;
  apiKeyId?: string;
}

/** Which streams {@linkcode SseHub.endStreams} ends (every given field must match). */
export interface StreamEnding {
  userId?: string;
  tenantId?: number;
  apiKeyId?: string;
  /** A session of the user that goes on (a password change keeps the asking one). */
  keepSession?: string | null;
}

export class SseHub {
  #channels = new Map<number, Set<SseStream>>();
  #owners = new Map<SseStream, StreamOwner>();
  #count = 0;
  #opts: Required<SseHubOptions>;
  #heartbeat: ReturnType<typeof setInterval>;
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
    owner: StreamOwner = {},
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
      first: OPENING_FRAME,
      reset: RESET_FRAME,
      onEnd: (s, why) => this.#remove(s, why),
    });
    channel.add(stream);
    this.#owners.set(stream, owner);
    this.#count++;
    if (!this.#lastSeen.has(tenantId)) this.#watermark(tenantId);
    signal?.addEventListener("abort", () => stream.close("client"), {
      once: true,
    });
    return stream;
  }

  /**
   * Records the tenant's latest id when its first stream opens, so a catch-up
   * after a lost LISTEN connection knows where to start even for a tenant that
   * saw no event yet.
   */
  #watermark(tenantId: number) {
    this.#opts.eventLog.latestId(tenantId).then((id) => {
      if ((this.#lastSeen.get(tenantId) ?? -1) < id) this.#lastSeen.set(tenantId, id);
    }, (e) => this.#opts.log.warn("could not read the latest event id", { error: e }));
  }

  #remove(stream: SseStream, why: StreamEnd) {
    const channel = this.#channels.get(stream.tenantId);
    if (!channel?.delete(stream)) return;
    this.#owners.delete(stream);
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

  /**
   * Ends the streams whose credential stopped working: a user's sessions
   * ended, a member removed from a tenant, an API key revoked. The client's
   * reconnect then meets `401`. Answers how many were ended.
   */
  endStreams(ending: StreamEnding): number {
    if (ending.userId === undefined && ending.apiKeyId === undefined) return 0;
    const channels = ending.tenantId === undefined
      ? [...this.#channels.values()]
      : [this.#channels.get(ending.tenantId) ?? new Set<SseStream>()];
    let ended = 0;
    for (const channel of channels) {
      for (const stream of [...channel]) {
        const owner = this.#owners.get(stream);
        if (!owner) continue;
        if (ending.userId !== undefined && owner.userId !== ending.userId) continue;
        if (ending.apiKeyId !== undefined && owner.apiKeyId !== ending.apiKeyId) continue;
        if (ending.keepSession && owner.sessionId === ending.keepSession) continue;
        stream.close("revoked");
        ended++;
      }
    }
    return ended;
  }

  #beat() {
    for (const channel of this.#channels.values()) {
      for (const stream of channel) stream.heartbeat(HEARTBEAT_FRAME);
    }
  }

  /**
   * Closes every stream with a reconnect hint, so clients reconnect (to another
   * instance) at once, and stops the heartbeat timer.
   */
  close(): void {
    this.#closing = true;
    clearInterval(this.#heartbeat);
    for (const channel of [...this.#channels.values()]) {
      for (const stream of [...channel]) stream.close("shutdown", SHUTDOWN_FRAME);
    }
  }
}
