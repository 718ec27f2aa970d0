import assert from "node:assert/strict";
import { loadMigrations, migrate } from "../core/db/migrate.ts";
import { openPglite } from "../core/db/pglite.ts";
import { openPostgres } from "../core/db/postgres.ts";
import { createPostgresDatabase, TEST_DATABASE_URL } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

async function tables(db: { query: <T>(s: string) => Promise<T[]> }) {
  const rows = await db.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
  );
  return rows.map((r) => r.t);
}

Deno.test({
  name: "migrate() on PGlite: from empty, then a re-run does nothing",
  ...integration,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const db = await openPglite(dir);
      const all = await loadMigrations();
      assert.deepEqual(await migrate(db), all.map((m) => m.version));
      assert.ok((await tables(db)).includes("monitors"));
      assert.deepEqual(await migrate(db), []);
      await db.close();
      const reopened = await openPglite(dir);
      assert.deepEqual(await migrate(reopened), [], "a restart finds the schema in place");
      const rows = await reopened.query<{ version: number }>(
        "SELECT version FROM schema_migrations",
      );
      assert.equal(rows.length, all.length);
      await reopened.close();
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "migrate() rolls back a failing migration and records nothing",
  ...integration,
  async fn() {
    const db = await openPglite(`${await Deno.makeTempDir()}/db`);
    const good = { version: 1, name: "good", sql: "CREATE TABLE a (x int);" };
    const bad = {
      version: 2,
      name: "bad",
      sql: "CREATE TABLE b (x int); SELECT nope FROM nowhere;",
    };
    await assert.rejects(() => migrate(db, [good, bad]));
    const rows = await db.query<{ version: number }>("SELECT version FROM schema_migrations");
    assert.deepEqual(rows.map((r) => r.version), [1]);
    assert.ok(!(await tables(db)).includes("b"), "the failed migration left no table");
    await db.close();
  },
});

Deno.test({
  // PostgreSQL only: shown as ignored, not left out, when no server is given.
  ignore: !TEST_DATABASE_URL,
  name: "migrate() on PostgreSQL: two instances starting at once migrate once",
  ...integration,
  async fn() {
    const { url, drop } = await createPostgresDatabase();
    const a = await openPostgres(url);
    const b = await openPostgres(url);
    try {
      const [ra, rb] = await Promise.all([migrate(a), migrate(b)]);
      const all = (await loadMigrations()).map((m) => m.version);
      assert.deepEqual(
        [...ra, ...rb].sort((x, y) => x - y),
        all,
        "each migration ran exactly once",
      );
      assert.deepEqual(await migrate(a), []);
      assert.ok((await tables(a)).includes("events"));
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  },
});
