import assert from "node:assert/strict";
import type { Database } from "../core/db/database.ts";
import { migrate } from "../core/db/migrate.ts";
import type { StoredEvent } from "../core/events/envelope.ts";
import { PublicStatusCache } from "../core/status_pages/public_cache.ts";
import { BACKENDS, eventually } from "./_helpers.ts";

/**
 * `db`, except that a read of a status page (or of the statement `arm` names),
 * once armed, answers only when it is released: the computation is in flight.
 */
function gated(db: Database) {
  let hold: Promise<void> | null = null;
  let match = "FROM status_pages";
  let release = () => {};
  let waiting = false;
  const gate: Database = {
    ...db,
    query: (async (sql: string, params?: unknown[]) => {
      const rows = await db.query(sql, params);
      if (hold && sql.includes(match)) {
        waiting = true;
        await hold;
      }
      return rows;
    }) as Database["query"],
  };
  return {
    db: gate,
    /** Holds the next reads that name `what`; `reached` resolves once one has read and waits. */
    arm(what = "FROM status_pages") {
      match = what;
      waiting = false;
      hold = new Promise<void>((r) => (release = r));
      return { reached: () => eventually(() => waiting, 5000, "a page read held") };
    },
    release() {
      hold = null;
      release();
    },
  };
}

for (const backend of BACKENDS) {
  Deno.test(`public status cache (${backend.name}): a change while a page is computed is not lost`, async (t) => {
    const { db, cleanup } = await backend.create();
    try {
      await migrate(db);
      const [{ id: tenant }] = await db.query<{ id: number }>(
        "INSERT INTO tenants (name) VALUES ('Acme') RETURNING id",
      );
      const [page] = await db.query<{ id: string }>(
        "INSERT INTO status_pages (tenant_id, slug, title) VALUES ($1, 'acme', 'v1') RETURNING id",
        [tenant],
      );
      const retitle = (title: string) =>
        db.query("UPDATE status_pages SET title = $1 WHERE id = $2", [title, page.id]);
      const gate = gated(db);
      const cache = new PublicStatusCache(gate.db);

      await t.step("the tenant's pages edited meanwhile", async () => {
        const held = gate.arm();
        const first = cache.get("acme");
        await held.reached();
        await retitle("v2");
        cache.invalidateTenant(tenant);
        gate.release();
        assert.equal((await first)?.status.title, "v1", "asked before the edit");
        assert.equal((await cache.get("acme"))?.status.title, "v2");
      });

      await t.step("a report posted on the page meanwhile", async () => {
        const report = {
          id: 1,
          tenant_id: tenant,
          type: "status_report",
          data: { page_id: page.id },
        } as unknown as StoredEvent;
        cache.onEvent(report); // drops the page: the next request computes it
        const held = gate.arm();
        const second = cache.get("acme");
        await held.reached();
        await retitle("v3");
        cache.onEvent(report);
        gate.release();
        assert.equal((await second)?.status.title, "v2", "asked before the report");
        assert.equal((await cache.get("acme"))?.status.title, "v3");
      });

      await t.step("with nothing meanwhile, the page is computed once", async () => {
        const a = await cache.get("acme");
        await retitle("v4");
        assert.equal(await cache.get("acme"), a, "the same entry, not a new computation");
      });

      await t.step("the bus missed events: every page is computed again", async () => {
        assert.equal((await cache.get("acme"))?.status.title, "v3", "v4 came with no event");
        cache.forgetAll();
        assert.equal((await cache.get("acme"))?.status.title, "v4");
        await retitle("v5");
        cache.forgetAll();
        const held = gate.arm();
        const inFlight = cache.get("acme");
        await held.reached();
        await retitle("v6");
        cache.forgetAll();
        gate.release();
        assert.equal((await inFlight)?.status.title, "v5", "asked before the gap");
        assert.equal((await cache.get("acme"))?.status.title, "v6", "retired, not kept");
      });

      await t.step(
        "an incident of a shown monitor changes nothing public; its check does, on a page computed for the first time too",
        async () => {
          const [monitor] = await db.query<{ id: string }>(
            `INSERT INTO monitors (tenant_id, name, type, url, method, interval_seconds, timeout_ms,
             expected_status, ignore_tls_errors, enabled, last_check, next_check_at)
           VALUES ($1, 'web', 'http', 'http://127.0.0.1:9/', 'GET', 60, 1000, '200-399', false,
             true, '{}'::jsonb, now()) RETURNING id`,
            [tenant],
          );
          await db.query(
            "INSERT INTO status_page_components (page_id, monitor_id, name, position) VALUES ($1, $2, 'Web', 0)",
            [page.id, monitor.id],
          );
          cache.invalidateTenant(tenant);
          const shown = await cache.get("acme");
          assert.equal(shown?.status.components.length, 1);
          const event = (type: string, data: Record<string, unknown>, id: number) =>
            ({
              id,
              tenant_id: tenant,
              type,
              data: { monitor_id: monitor.id, ...data },
            }) as unknown as StoredEvent;
          cache.onEvent(event("incident_created", { status: "open" }, 10));
          cache.onEvent(event("incident_resolved", { status: "resolved" }, 11));
          assert.equal(await cache.get("acme"), shown, "incidents are not on the public page");
          cache.onEvent(
            event("monitor_check", { success: false, checked_at: new Date().toISOString() }, 12),
          );
          assert.notEqual(await cache.get("acme"), shown, "a status change is");

          // A page computed for the first time (unpublished, forgotten, published again) whose
          // monitor is checked after its components were read, before the page is done.
          const publish = (on: boolean) =>
            db.query("UPDATE status_pages SET published = $1 WHERE id = $2", [on, page.id]);
          await publish(false);
          cache.invalidateTenant(tenant);
          assert.equal(await cache.get("acme"), null, "unpublished");
          await publish(true);
          cache.invalidateTenant(tenant);
          const held = gate.arm("FROM status_page_components");
          const first = cache.get("acme");
          await held.reached();
          await db.query("UPDATE monitors SET status = 'down' WHERE id = $1", [monitor.id]);
          cache.onEvent(
            event("monitor_check", { success: false, checked_at: new Date().toISOString() }, 13),
          );
          gate.release();
          assert.equal((await first)?.status.components[0].status, "pending", "read before");
          assert.equal(
            (await cache.get("acme"))?.status.components[0].status,
            "down",
            "not kept: computed again",
          );
        },
      );
    } finally {
      await cleanup();
    }
  });
}
