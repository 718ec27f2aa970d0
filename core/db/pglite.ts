import { PGlite } from "@electric-sql/pglite";
import { type Database, guardedTransaction, type Queryable, type Row } from "./database.ts";

/**
 * Postgres settings for the embedded server. Its shared buffers live in the
 * WebAssembly heap, which never shrinks: the default 128 MB would be most of
 * the process's memory, while the operating system's page cache still holds
 * the data files. 16 MB keeps 10,000 monitors under 300 MB now that the
 * serving thread has V8's own young generation, and still runs 30,000 at 60 s
 * (docs/BENCHMARKS.md, checks).
 */
const SETTINGS = ["-c", "shared_buffers=16MB"];

/**
 * Opens the embedded PostgreSQL stored in `dir` (created when missing). PGlite
 * runs one connection in this process; its own queue serialises queries and
 * transactions. A new directory is created in a short-lived worker first
 * (see `pglite_init.ts`). Pass `undefined` for a throw-away in-memory database.
 */
export async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir !== undefined && !await exists(`${dir}/PG_VERSION`)) await initInWorker(dir);
  const pg = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...SETTINGS] });
  await pg.waitReady;
  const wrap = (q: {
    query: PGlite["query"];
    exec: PGlite["exec"];
  }): Queryable => ({
    async query<T = Row>(sql: string, params: unknown[] = []) {
      const result = await q.query<T>(sql, params);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const base = wrap(pg);
  return {
    kind: "pglite",
    query: base.query,
    exec: base.exec,
    transaction: (fn) => pg.transaction((tx) => guardedTransaction(wrap(tx), fn)),
    async listen(channel, onMessage) {
      const unlisten = await pg.listen(channel, onMessage);
      return async () => await unlisten();
    },
    async close() {
      await pg.close();
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

const INIT_WORKER = new URL("./pglite_init.ts", import.meta.url);

async function initInWorker(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const worker = new Worker(INIT_WORKER, { type: "module", name: "pglite-init" });
  try {
    const answer = await new Promise<{ ok: boolean; error?: string }>((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(`could not create the database in ${dir}: ${e.message}`));
      };
      worker.postMessage(dir);
    });
    if (!answer.ok) throw new Error(`could not create the database in ${dir}: ${answer.error}`);
  } finally {
    worker.terminate();
  }
}
