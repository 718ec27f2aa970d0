import type { Config } from "../config.ts";
import type { Database } from "./database.ts";
import { lockDataDir } from "./data_dir_lock.ts";

export type { Database, Queryable, Row } from "./database.ts";
export { migrate } from "./migrate.ts";
export { DataDirLockedError } from "./data_dir_lock.ts";

/**
 * Opens the database the settings name: PostgreSQL when `DATABASE_URL` is set,
 * otherwise embedded PGlite in `DATA_DIR/pgdata`, guarded by an exclusive lock
 * on the directory. Only the adapter in use is loaded (`import()`): the other
 * driver's code would stay in the heap for the life of the process, and every
 * full garbage collection marks it again (docs/BENCHMARKS.md, status pages).
 */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) {
    const { openPostgres } = await import("./postgres.ts");
    return await openPostgres(config.databaseUrl);
  }
  const lock = await lockDataDir(config.dataDir);
  const { openPglite } = await import("./pglite.ts");
  const db = await openPglite(`${config.dataDir}/pgdata`);
  return {
    ...db,
    async close() {
      await db.close();
      lock.close();
    },
  };
}
