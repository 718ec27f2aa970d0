import type { Config } from "../config.ts";
import type { Database } from "./database.ts";
import { lockDataDir } from "./data_dir_lock.ts";
import { openPglite } from "./pglite.ts";
import { openPostgres } from "./postgres.ts";

export type { Database, Queryable, Row } from "./database.ts";
export { migrate } from "./migrate.ts";
export { DataDirLockedError } from "./data_dir_lock.ts";
export { openPglite } from "./pglite.ts";
export { openPostgres } from "./postgres.ts";

/**
 * Opens the database the settings name: PostgreSQL when `DATABASE_URL` is set,
 * otherwise embedded PGlite in `DATA_DIR/pgdata`, guarded by an exclusive lock
 * on the directory.
 */
export async function openDatabase(config: Config): Promise<Database> {
  if (config.databaseUrl) return await openPostgres(config.databaseUrl);
  const lock = await lockDataDir(config.dataDir);
  const db = await openPglite(`${config.dataDir}/pgdata`);
  return {
    ...db,
    async close() {
      await db.close();
      lock.close();
    },
  };
}
