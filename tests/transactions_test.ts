import assert from "node:assert/strict";
import { TransactionEndedError } from "../core/db/database.ts";
import { BACKENDS } from "./_helpers.ts";

for (const backend of BACKENDS) {
  Deno.test(`${backend.name}: a statement started after a transaction's callback settled is refused, not run outside it`, async () => {
    const { db, cleanup } = await backend.create();
    try {
      await db.exec("CREATE TABLE late_statements (x int)");
      for (const outcome of ["rolled back", "committed"]) {
        let late!: Promise<unknown>;
        const lateStarted = new Promise<void>((started) => {
          const run = db.transaction(async (tx) => {
            await tx.query("INSERT INTO late_statements VALUES (1)");
            // Started once the callback has settled and the adapter is ending the transaction.
            setTimeout(() => {
              late = tx.query("INSERT INTO late_statements VALUES (2)").then(
                () => "sent",
                (e) => e,
              );
              started();
            }, 0);
            if (outcome === "rolled back") throw new Error("a sibling statement failed");
          });
          run.catch(() => {});
        });
        await lateStarted;
        const answer = await late;
        assert.ok(answer instanceof TransactionEndedError, `${outcome}: ${String(answer)}`);
        const rows = await db.query<{ x: number }>("SELECT x FROM late_statements ORDER BY x");
        assert.deepEqual(
          rows.map((r) => r.x),
          outcome === "rolled back" ? [] : [1],
          `${outcome}: only the transaction's own statement counts`,
        );
      }
    } finally {
      await cleanup();
    }
  });
}
