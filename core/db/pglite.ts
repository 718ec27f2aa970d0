import { PGlite } from "@electric-sql/pglite";
import { type Database, guardedTransaction, type Row } from "./database.ts";
import { type NodeFileSystem, rememberFileSizes } from "./pglite_file_sizes.ts";
import { PreparedStatements } from "./prepared_statements.ts";

/**
 * Postgres settings for the embedded server. Its shared buffers live in the
 * WebAssembly heap, which never shrinks: the default 128 MB would be most of
 * the process's memory, while the operating system's page cache still holds
 * the data files. 16 MB keeps 10,000 monitors under 300 MB now that the
 * serving thread has V8's own young generation, and still runs 30,000 at 60 s
 * (docs/BENCHMARKS.md, checks).
 */
export const PGLITE_SETTINGS = ["-c", "shared_buffers=16MB"];

/**
 * Opens the embedded PostgreSQL stored in `dir` (created when missing). PGlite
 * runs one connection in this process; its own queue serialises queries and
 * transactions. A new directory is created in a short-lived worker first
 * (see `pglite_init.ts`). Pass `undefined` for a throw-away in-memory database.
 */
export async function openPglite(dir: string | undefined): Promise<Database> {
  if (dir !== undefined && !await exists(`${dir}/PG_VERSION`)) await initInWorker(dir);
  const pg = new PGlite(dir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  await pg.waitReady;
  if (dir !== undefined) rememberFileSizes(pg.Module.NODEFS as unknown as NodeFileSystem);
  return pgliteDatabase(pg);
}

/**
 * The database on an opened PGlite: each SQL text prepared once
 * (`prepared_statements.ts`), run under PGlite's own locks.
 */
export function pgliteDatabase(pg: PGlite): Database {
  const statements = new PreparedStatements(pg);
  // As PGlite's own query(): the query lock around each statement, and the
  // transaction lock too when it runs on its own, so it never runs inside
  // another caller's open transaction.
  const statement = <T>(sql: string, params: unknown[] = []) =>
    pg._runExclusiveQuery(() => statements.run<T>(sql, params));
  return {
    kind: "pglite",
    query: <T = Row>(sql: string, params?: unknown[]) =>
      pg._runExclusiveTransaction(async () => {
        await pg._checkReady(); // "PGlite is closed", not a crash in WebAssembly, once closed
        const rows = await statement<T>(sql, params);
        await pg.syncToFs();
        return rows;
      }),
    async exec(sql: string) {
      await pg.exec(sql);
    },
    transaction: (fn) =>
      pg.transaction((tx) =>
        guardedTransaction({
          query: statement,
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }, fn)
      ),
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
