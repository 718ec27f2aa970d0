/** One Server-Sent Events frame. */
export interface SseFrame {
  id?: string | number;
  event?: string;
  /** Each line becomes one `data:` line. */
  data: string;
  retry?: number;
}

/**
 * Encodes a frame as text. `id` and `event` may not contain line breaks (they
 * would end the field early), so they are refused with a `RangeError`.
 *
 * @example
 * encodeEvent({ id: 42, event: "monitor_check", data: "{}" });
 * // "id: 42\nevent: monitor_check\ndata: {}\n\n"
 */
export function encodeEvent(frame: SseFrame): string {
  let out = "";
  if (frame.retry !== undefined) out += `retry: ${Math.trunc(frame.retry)}\n`;
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
  for (const line of frame.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return out + "\n";
}

/** A comment line, ignored by clients; used for heartbeats. */
export function encodeComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, " ")}\n\n`;
}
