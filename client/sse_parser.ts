/** One frame as the browser reads it. */
export interface ParsedFrame {
  id?: string;
  event?: string;
  /** The data lines joined with "\n"; absent when the frame had none. */
  data?: string;
  /** The server's reconnect delay in milliseconds. */
  retry?: number;
}

/**
 * Splits a buffer of event-stream text into whole frames and the rest that
 * is still incomplete, following the SSE format: `field: value` or
 * `field:value`, comment lines starting with `:` skipped, data lines joined
 * with newlines, `retry:` only when it is all digits, any line ending.
 */
export function parseFrames(buffer: string): { frames: ParsedFrame[]; rest: string } {
  const frames: ParsedFrame[] = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  let start = 0;
  let end: number;
  while ((end = text.indexOf("\n\n", start)) !== -1) {
    const frame: ParsedFrame = {};
    const data: string[] = [];
    for (const line of text.slice(start, end).split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "id" && !value.includes("\0")) frame.id = value;
      else if (field === "event") frame.event = value;
      else if (field === "retry" && /^\d+$/.test(value)) frame.retry = Number(value);
    }
    if (data.length) frame.data = data.join("\n");
    frames.push(frame);
    start = end + 2;
  }
  return { frames, rest: text.slice(start) };
}
