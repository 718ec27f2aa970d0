/** A raw SSE client for tests: reads frames off a fetch body as they arrive. */

/** One parsed frame. */
export interface Frame {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** An open stream with the frames received so far. */
export interface TestStream {
  status: number;
  headers: Headers;
  frames: Frame[];
  /** Frames that carry an event (not comments, not retry-only). */
  events(): Frame[];
  /** Resolves when `predicate` holds for the frames, or rejects after `ms`. */
  waitFor(predicate: (frames: Frame[]) => boolean, ms?: number, what?: string): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): Promise<void>;
}

/** Parses complete frames out of `buffer`; returns them and the unparsed rest. */
export function parseFrames(buffer: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  const parts = buffer.split(/\r?\n\r?\n/);
  const rest = parts.pop() ?? "";
  for (const part of parts) {
    const frame: Frame = {};
    const data: string[] = [];
    for (const line of part.split(/\r?\n/)) {
      if (line.startsWith(":")) {
        frame.comment = line.slice(1).trim();
        continue;
      }
      const i = line.indexOf(":");
      const field = i === -1 ? line : line.slice(0, i);
      const value = i === -1 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "id") frame.id = value;
      else if (field === "event") frame.event = value;
      else if (field === "data") data.push(value);
      else if (field === "retry") frame.retry = Number(value);
    }
    if (data.length) frame.data = data.join("\n");
    frames.push(frame);
  }
  return { frames, rest };
}

/** Opens `url` as an event stream with fetch and collects its frames. */
export async function openStream(
  url: string,
  opts: { headers?: Record<string, string> } = {},
): Promise<TestStream> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: opts.headers, signal: controller.signal });
  const frames: Frame[] = [];
  const listeners = new Set<() => void>();
  let ended!: () => void;
  const endedPromise = new Promise<void>((r) => (ended = r));
  if (res.ok && res.body) {
    (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += value;
          const parsed = parseFrames(buffer);
          buffer = parsed.rest;
          frames.push(...parsed.frames);
          for (const l of listeners) l();
        }
      } catch {
        // aborted
      }
      ended();
      for (const l of listeners) l();
    })();
  } else {
    await res.body?.cancel();
    ended();
  }
  return {
    status: res.status,
    headers: res.headers,
    frames,
    events: () => frames.filter((f) => f.event !== undefined),
    ended: endedPromise,
    waitFor(predicate, ms = 10_000, what = "frames") {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (predicate(frames)) {
            cleanup();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `Timed out after ${ms} ms waiting for ${what}; have ${
                JSON.stringify(frames.slice(-5))
              }`,
            ),
          );
        }, ms);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async close() {
      controller.abort();
      await endedPromise;
    },
  };
}
