/**
 * The audit log: every write through the API, by a user or an API key, newest
 * first; refused writes leave no entry; tenants see only their own; keys cannot
 * read it.
 */
import assert from "node:assert/strict";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

for (const backend of BACKENDS) {
  Deno.test({
    name: `audit log (${backend.name}): writes by users and keys, newest first, per tenant`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const b = await registerTenant(base);
        const log = async (token: string, query = "") => {
          const res = await api(base, "GET", `/api/v1/audit-log${query}`, { token });
          assert.equal(res.status, 200, res.text);
          return res.body.entries as {
            id: string;
            at: string;
            actor: { type: string; id: string; label: string };
            action: string;
            target_type: string;
            target_id: string | null;
          }[];
        };

        let monitorId = "";
        let keyId = "";
        await t.step("a user's create, update and delete are recorded, newest first", async () => {
          const created = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: "Audited", url: "http://127.0.0.1:9/", interval_seconds: 3600 },
          });
          assert.equal(created.status, 201, created.text);
          monitorId = created.body.id;
          const patched = await api(base, "PATCH", `/api/v1/monitors/${monitorId}`, {
            token: a.token,
            body: { name: "Audited 2" },
          });
          assert.equal(patched.status, 200, patched.text);
          const entries = await log(a.token);
          assert.deepEqual(entries.map((e) => e.action), ["monitor.updated", "monitor.created"]);
          assert.deepEqual(entries[1].actor, { type: "user", id: a.userId, label: a.email });
          assert.equal(entries[1].target_type, "monitor");
          assert.equal(entries[1].target_id, monitorId);
          assert.ok(Date.parse(entries[0].at) >= Date.parse(entries[1].at));
        });

        await t.step("a refused write leaves no entry, a key's write names the key", async () => {
          const bad = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: "", url: "not a url" },
          });
          assert.equal(bad.status, 400);
          const key = await api(base, "POST", "/api/v1/api-keys", {
            token: a.token,
            body: { name: "deploy bot", scope: "write" },
          });
          assert.equal(key.status, 201, key.text);
          keyId = key.body.id;
          const deleted = await api(base, "DELETE", `/api/v1/monitors/${monitorId}`, {
            token: key.body.key,
          });
          assert.equal(deleted.status, 204);
          const entries = await log(a.token);
          assert.deepEqual(entries.map((e) => e.action), [
            "monitor.deleted",
            "api_key.created",
            "monitor.updated",
            "monitor.created",
          ]);
          assert.deepEqual(entries[0].actor, { type: "api_key", id: keyId, label: "deploy bot" });
          assert.equal(entries[0].target_id, monitorId);
          assert.equal(entries[1].target_id, keyId);

          const byKey = await api(base, "GET", "/api/v1/audit-log", { token: key.body.key });
          assert.equal(byKey.status, 403);
          assert.equal(byKey.body.error.code, "forbidden");
        });

        await t.step("pages with before and limit; bad values are 400", async () => {
          const all = await log(a.token);
          const first = await log(a.token, "?limit=2");
          assert.deepEqual(first.map((e) => e.id), all.slice(0, 2).map((e) => e.id));
          const rest = await log(a.token, `?before=${encodeURIComponent(first[1].at)}`);
          assert.ok(rest.length >= 1 && rest.every((e) => e.at < first[1].at));
          for (const q of ["?limit=0", "?limit=x", "?before=yesterday", "?limit=1001"]) {
            const res = await api(base, "GET", `/api/v1/audit-log${q}`, { token: a.token });
            assert.equal(res.status, 400, q);
            assert.equal(res.body.error.code, "validation_error");
          }
        });

        await t.step("another tenant sees only its own entries", async () => {
          assert.equal((await log(a.token)).length, 4);
          assert.deepEqual(await log(b.token), []);
          const created = await api(base, "POST", "/api/v1/monitors", {
            token: b.token,
            body: { name: "B's", url: "http://127.0.0.1:9/", interval_seconds: 3600 },
          });
          assert.equal(created.status, 201, created.text);
          assert.deepEqual((await log(b.token)).map((e) => e.action), ["monitor.created"]);
          assert.equal((await log(a.token)).length, 4);
        });
      } finally {
        await server.stop();
      }
    },
  });
}
