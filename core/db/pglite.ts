import { PGlite } from "@electric-sql/pglite";
import type { Database, Queryable, Row } from "./database.ts";

/**
 * Opens the embedded PostgreSQL stored in `dir` (created when missing). PGlite
 * runs one connection in this process; its own queue serialises queries and
 * transactions. Pass `undefined` for a throw-away in-memory database.
 */
export async function openPglite(dir: string | undefined): Promise<Database> {
  const pg = dir === undefined ? new PGlite() : new PGlite(dir);
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
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async listen(channel, onMessage) {
      const unlisten = await pg.listen(channel, onMessage);
      return async () => await unlisten();
    },
    async close() {
      await pg.close();
    },
  };
}
