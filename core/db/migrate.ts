import type { Database } from "./database.ts";

/** One numbered migration: `003_add_rollups.sql` has version 3. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** A constant key for the advisory lock that serialises migrations across instances. */
const MIGRATION_LOCK = 7_262_001;

/** Reads the numbered `.sql` files of `core/db/migrations/`, in order. */
export async function loadMigrations(
  dir: URL = new URL("./migrations/", import.meta.url),
): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = /^(\d+)_([\w-]+)\.sql$/.exec(entry.name);
    if (!entry.isFile || !match) continue;
    migrations.push({
      version: Number(match[1]),
      name: match[2],
      sql: await Deno.readTextFile(new URL(entry.name, dir)),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  for (let i = 1; i < migrations.length; i++) {
    if (migrations[i].version === migrations[i - 1].version) {
      throw new RangeError(
        `Two migrations share version ${migrations[i].version}`,
      );
    }
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, each in its
 * own transaction. An advisory lock taken inside each transaction makes a second
 * instance starting at the same moment wait, then see the migration as done.
 * Returns the versions applied by this call.
 */
export async function migrate(
  db: Database,
  migrations?: Migration[],
): Promise<number[]> {
  const all = migrations ?? await loadMigrations();
  const applied: number[] = [];
  for (const m of all) {
    const ran = await db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await tx.query(
        "SELECT 1 FROM schema_migrations WHERE version = $1",
        [
          m.version,
        ],
      );
      if (done.length > 0) return false;
      await tx.exec(m.sql);
      await tx.query(
        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
        [
          m.version,
          m.name,
        ],
      );
      return true;
    });
    if (ran) applied.push(m.version);
  }
  return applied;
}
