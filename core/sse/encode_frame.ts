import type { StoredEvent } from "../events/envelope.ts";

/**
 * One Server-Sent Events frame: any of a reconnect delay, comment lines, an
 * id, an event name and data. A frame with none of them encodes as nothing.
 */
export interface SseFrame {
  /** Reconnect delay in milliseconds (`retry:`). */
  retry?: number;
  /** A comment, ignored by clients (heartbeats, shutdown notes). */
  comment?: string;
  id?: string | number;
  event?: string;
  /** Each line becomes one `data:` line. */
  data?: string;
}

const encoder = new TextEncoder();

/**
 * Encodes a frame as the bytes sent on the wire; every frame of V-Insight goes
 * through here. `id` and `event` may not contain line breaks (they would end
 * the field early) and are refused with a `RangeError`; a comment is kept to
 * one line.
 *
 * @example
 * new TextDecoder().decode(encodeFrame({ id: 42, event: "monitor_check", data: "{}" }));
 * // "id: 42\nevent: monitor_check\ndata: {}\n\n"
 */
export function encodeFrame(frame: SseFrame): Uint8Array {
  let out = "";
  if (frame.retry !== undefined) {
    if (!Number.isFinite(frame.retry) || frame.retry < 0) {
      throw new RangeError("SSE retry must be a non-negative number of milliseconds");
    }
    out += `retry: ${Math.trunc(frame.retry)}\n`;
  }
  if (frame.comment !== undefined) out += `: ${frame.comment.replace(/[\r\n]+/g, " ")}\n`;
  if (frame.id !== undefined) {
    const id = String(frame.id);
    if (/[\r\n\0]/.test(id)) {
      throw new RangeError("SSE id must not contain line breaks or NUL");
    }
    out += `id: ${id}\n`;
  }
  if (frame.event !== undefined) {
    if (/[\r\n]/.test(frame.event)) {
      throw new RangeError("SSE event must not contain line breaks");
    }
    out += `event: ${frame.event}\n`;
  }
  if (frame.data !== undefined) {
    for (const line of frame.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  }
  return encoder.encode(out === "" ? "" : out + "\n");
}

/** No bytes: the event's id passes on a tenant stream without a frame. */
export const NO_FRAME: Uint8Array = new Uint8Array(0);

/**
 * A stored event's frame on a tenant stream (API.md: `data` is the envelope
 * `{type, data, tenant_id}`). A `status_report` is for the public streams of
 * its page and has no frame here ({@linkcode NO_FRAME}); the stream still
 * counts its id, so the next id follows without a gap.
 */
export function encodeStoredEvent(event: StoredEvent): Uint8Array {
  if (event.type === "status_report") return NO_FRAME;
  return encodeFrame({
    id: event.id,
    event: event.type,
    data: JSON.stringify({ type: event.type, data: event.data, tenant_id: event.tenant_id }),
  });
}

/** The first frame of every stream: reconnect after a second. */
export const OPENING_FRAME: Uint8Array = encodeFrame({ retry: 1000 });
/** Sent every `SSE_HEARTBEAT_SECONDS`. */
export const HEARTBEAT_FRAME: Uint8Array = encodeFrame({ comment: "heartbeat" });
/** The log cannot fill the gap: the client reloads its state over REST. */
export const RESET_FRAME: Uint8Array = encodeFrame({ event: "reset", data: "{}" });
/** The last frame before a shutdown: reconnect (to another instance) at once. */
export const SHUTDOWN_FRAME: Uint8Array = encodeFrame({
  retry: 250,
  comment: "server shutting down",
});
