/** Process plumbing shared by the benchmarks. */

/** Reads JSON lines from a child's stdout, one object per call (other lines are skipped). */
export function jsonLines(
  stdout: ReadableStream<Uint8Array<ArrayBuffer>>,
  name: string,
  // deno-lint-ignore no-explicit-any
): () => Promise<any> {
  const reader = stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  return async () => {
    for (;;) {
      const nl = buffer.indexOf("\n");
      if (nl !== -1) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith("{")) return JSON.parse(line);
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`${name} exited early`);
      buffer += value;
    }
  };
}

/** Creates an empty database on the PostgreSQL server of `adminUrl` and returns its URL. */
export async function freshDatabase(adminUrl: string): Promise<string> {
  const postgres = (await import("postgres")).default;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `vi_bench_${crypto.randomUUID().slice(0, 8)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** deno.json's `start` task: the command line the product runs with. */
async function startTask(): Promise<string> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  return config.tasks.start as string;
}

/** The V8 flags `deno task start` and the compiled binary run with (from deno.json). */
export async function productV8Flags(): Promise<string> {
  return (await startTask()).match(/--v8-flags=(\S+)/)![1];
}

/**
 * The environment `deno task start` gives the server (deno.json: the variables
 * set before `deno run`, such as glibc's `MALLOC_MMAP_THRESHOLD_`), set on this
 * benchmark process so that every process it starts inherits it: V-Insight,
 * the floor and the peer run alike.
 */
export async function inheritProductEnv(): Promise<void> {
  const start = (await startTask()).split("&&").at(-1)!;
  for (const [, name, value] of start.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=(\S+)(?=\s)/g)) {
    Deno.env.set(name, value);
  }
}

/**
 * The SSE load client (`sse_client.mjs`, Node.js), one process for all of a
 * run's streams; `--iso` reads the send time from `checked_at` (status-page
 * frames) instead of `s=<ms>`.
 */
export function spawnSseClient(args: string[] = []) {
  const child = new Deno.Command("node", {
    args: [new URL("./sse_client.mjs", import.meta.url).pathname, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const next = jsonLines(child.stdout, "load client");
  const writer = child.stdin.getWriter();
  const ask = async (msg: Record<string, unknown>) => {
    await writer.write(new TextEncoder().encode(JSON.stringify(msg) + "\n"));
    return await next();
  };
  return {
    pid: child.pid,
    /** Opens one stream per entry of `tenants`, each sending `requests[tenant]`. */
    connect: (port: number, requests: string[], tenants: number[]) =>
      ask({ cmd: "connect", port, requests, tenants }),
    count: () => ask({ cmd: "count" }) as Promise<{ received: number; cpu: number }>,
    stats: () =>
      ask({ cmd: "stats" }) as Promise<
        { received: number; p50: number; p99: number; max: number; cpu: number; first: number }
      >,
    async close() {
      await writer.write(new TextEncoder().encode(JSON.stringify({ cmd: "close" }) + "\n"));
      await child.status;
    },
  };
}

/** A benchmark server's commands: each line of stdin, split into words, until EOF. */
export async function* stdinCommands(): AsyncGenerator<string[]> {
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let buffer = "";
  for await (const chunk of lines) {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf("\n")) !== -1) {
      const words = buffer.slice(0, nl).trim().split(/\s+/);
      buffer = buffer.slice(nl + 1);
      yield words;
    }
  }
}

/**
 * Answers a server's `gc` command: a full collection (the server runs with
 * `--expose-gc`), so memory is measured without garbage, then `{"gc": true}`.
 */
export async function answerGc(): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((r) => setTimeout(r, 200));
  console.log(JSON.stringify({ gc: true }));
}
