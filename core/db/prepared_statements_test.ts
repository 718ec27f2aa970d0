import assert from "node:assert/strict";
import { PGlite, protocol } from "@electric-sql/pglite";
import { PreparedStatements } from "./prepared_statements.ts";
import { openPglite } from "./pglite.ts";

async function withPglite(fn: (pg: PGlite) => Promise<void>): Promise<void> {
  const pg = new PGlite();
  await pg.waitReady;
  try {
    await fn(pg);
  } finally {
    await pg.close();
  }
}

const prepared = async (pg: PGlite) =>
  (await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements")).rows[0]
    .n;

Deno.test("a prepared statement converts parameters and rows exactly as PGlite's query() does", async () => {
  await withPglite(async (pg) => {
    const statements = new PreparedStatements(pg);
    await pg.exec(`CREATE TABLE kinds (
      id uuid PRIMARY KEY, n int, big bigint, ratio numeric, ok boolean, at timestamptz,
      doc jsonb, tags text[], ids uuid[], note text)`);
    const sql = `INSERT INTO kinds VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`;
    const rows = [
      [
        "0b7e7c3e-8f0a-4c59-9d3e-3f1f6f0e2a11",
        42,
        9007199254740993n,
        "1.50",
        true,
        new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        { a: [1, "two", null] },
        ["x", "y,z", 'q"uote'],
        ["4c1b2f35-7b0f-4a43-9b7e-0a2f1a8c6d10"],
        "plain",
      ],
      ["5d2c8a1e-1f0b-4b7e-8c3d-2e1f0a9b8c7d", null, null, null, false, null, null, [], [], null],
    ];
    for (const [i, params] of rows.entries()) {
      const ours = await pg.runExclusive(() => statements.run(sql, params));
      await pg.query("DELETE FROM kinds");
      const theirs = (await pg.query(sql, params)).rows;
      assert.deepEqual(ours, theirs, `row ${i}`);
    }
    // The same statement ran four times and was prepared once.
    assert.equal(statements.size, 1);
    assert.equal(await prepared(pg), 1);
    assert.deepEqual(await pg.runExclusive(() => statements.run("DELETE FROM kinds", [])), []);
  });
});

Deno.test("a failing prepared statement raises PostgreSQL's error and leaves the session usable", async () => {
  await withPglite(async (pg) => {
    const statements = new PreparedStatements(pg);
    await pg.exec("CREATE TABLE uniq (k text PRIMARY KEY)");
    const insert = "INSERT INTO uniq VALUES ($1)";
    await pg.runExclusive(() => statements.run(insert, ["a"]));
    await assert.rejects(
      pg.runExclusive(() => statements.run(insert, ["a"])),
      (e) => e instanceof protocol.messages.DatabaseError && e.code === "23505",
    );
    await assert.rejects(
      pg.runExclusive(() => statements.run("SELECT * FROM no_such_table", [])),
      (e) => e instanceof protocol.messages.DatabaseError && e.code === "42P01",
    );
    await assert.rejects(
      pg.runExclusive(() => statements.run("SELECT $1::uuid AS id", ["not a uuid"])),
      (e) => e instanceof protocol.messages.DatabaseError && e.code === "22P02",
    );
    await pg.runExclusive(() => statements.run(insert, ["b"]));
    const rows = await pg.runExclusive(() =>
      statements.run<{ k: string }>("SELECT k FROM uniq ORDER BY k", [])
    );
    assert.deepEqual(rows.map((r) => r.k), ["a", "b"]);
    // The statement that did not parse was not kept.
    assert.equal(statements.size, 3);
  });
});

Deno.test("beyond its limit the cache closes the least recently used statements in PostgreSQL too", async () => {
  await withPglite(async (pg) => {
    const statements = new PreparedStatements(pg, 3);
    const select = (n: number) =>
      pg.runExclusive(() => statements.run<{ n: number }>(`SELECT ${n} AS n`, []));
    for (const n of [1, 2, 3]) await select(n);
    assert.equal(await prepared(pg), 3);
    await select(1); // now the most recently used
    await select(4); // closes 2
    await select(5); // closes 3
    assert.equal(statements.size, 3);
    assert.equal(await prepared(pg), 3);
    const names = (await pg.query<{ statement: string }>(
      "SELECT statement FROM pg_prepared_statements ORDER BY statement",
    )).rows.map((r) => r.statement);
    assert.deepEqual(names, ["SELECT 1 AS n", "SELECT 4 AS n", "SELECT 5 AS n"]);
    assert.deepEqual(await select(2), [{ n: 2 }]);
  });
});

Deno.test("a statement prepared before its table changed shape is prepared again", async () => {
  await withPglite(async (pg) => {
    const statements = new PreparedStatements(pg);
    await pg.exec("CREATE TABLE shapes (a int); INSERT INTO shapes VALUES (1)");
    const all = () => pg.runExclusive(() => statements.run("SELECT * FROM shapes", []));
    assert.deepEqual(await all(), [{ a: 1 }]);
    await pg.exec("ALTER TABLE shapes ADD COLUMN b text DEFAULT 'x'");
    assert.deepEqual(await all(), [{ a: 1, b: "x" }]);
    assert.equal(await prepared(pg), 1);
  });
});

Deno.test("PGlite adapter: a statement sent on its own waits for an open transaction and never runs inside it", async () => {
  const db = await openPglite(undefined);
  try {
    await db.exec("CREATE TABLE ledger (x int)");
    let release!: () => void;
    const held = new Promise<void>((r) => release = r);
    let inside!: () => void;
    const entered = new Promise<void>((r) => inside = r);
    const transaction = db.transaction(async (tx) => {
      await tx.query("INSERT INTO ledger VALUES ($1)", [1]);
      inside();
      await held;
      throw new Error("roll back");
    }).catch((e) => e.message);
    await entered;
    const outside = db.query<{ n: number }>("SELECT count(*)::int AS n FROM ledger");
    // Give the outside statement every chance to run while the transaction is
    // open: had it run inside, it would count the uncommitted row.
    await new Promise((r) => setTimeout(r, 20));
    release();
    assert.equal(await transaction, "roll back");
    assert.deepEqual(await outside, [{ n: 0 }]);
    await db.query("INSERT INTO ledger VALUES ($1)", [2]);
    assert.deepEqual(await db.query("SELECT x FROM ledger"), [{ x: 2 }]);
  } finally {
    await db.close();
  }
});

Deno.test("PGlite adapter: a statement after close is refused with PGlite's own error", async () => {
  const db = await openPglite(undefined);
  assert.deepEqual(await db.query("SELECT 1 AS n"), [{ n: 1 }]);
  await db.close();
  await assert.rejects(db.query("SELECT 1 AS n"), /PGlite is closed/);
});
