/**
 * Creates a new embedded PostgreSQL data directory (initdb) in a Worker, so
 * the WebAssembly heap initdb grows to ~700 MB is freed when the worker ends
 * instead of staying with the server for its whole life. Started by
 * `openPglite`; receives the directory, answers `{ ok: true }` or the error.
 */
import { PGlite } from "@electric-sql/pglite";

self.onmessage = async (e: MessageEvent<string>) => {
  try {
    const pg = new PGlite(e.data);
    await pg.waitReady;
    await pg.close();
    self.postMessage({ ok: true });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
