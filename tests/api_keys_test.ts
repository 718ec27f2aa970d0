/**
 * API keys: created once-visible, stored as a hash, read or write scope,
 * good for REST and the event stream, never for managing keys, and revoked
 * at once.
 */
import assert from "node:assert/strict";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

for (const backend of BACKENDS) {
  Deno.test({
    name: `API keys (${backend.name}): scopes, the stream, no key management, revocation at once`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const make = async (scope: string, extra: Record<string, unknown> = {}) => {
          const res = await api(base, "POST", "/api/v1/api-keys", {
            token: a.token,
            body: { name: `${scope} key`, scope, ...extra },
          });
          assert.equal(res.status, 201, res.text);
          return res.body;
        };
        const read = await make("read");
        const write = await make("write");

        await t.step(
          "a key is shown once, listed by its prefix, stored only as a hash",
          async () => {
            assert.match(read.key, /^vik_[a-z0-9]{10}_/);
            assert.ok(read.key.startsWith(`vik_${read.prefix}_`));
            const list = await api(base, "GET", "/api/v1/api-keys", { token: a.token });
            assert.equal(list.body.api_keys.length, 2);
            assert.ok(!list.text.includes(read.key) && !list.text.includes(write.key));
            const [row] = await server.deps.db.query<{ key_hash: string }>(
              "SELECT key_hash FROM api_keys WHERE id = $1",
              [read.id],
            );
            assert.ok(!row.key_hash.includes(read.key.slice(15)), "only a hash is stored");
          },
        );

        await t.step("read keys read, write keys write; nothing changes on a refusal", async () => {
          const list = await api(base, "GET", "/api/v1/monitors", { token: read.key });
          assert.equal(list.status, 200);
          const refused = await api(base, "POST", "/api/v1/monitors", {
            token: read.key,
            body: { name: "x", url: "http://127.0.0.1:9/" },
          });
          assert.equal(refused.status, 403);
          assert.equal(refused.body.error.code, "forbidden");
          assert.deepEqual(
            (await api(base, "GET", "/api/v1/monitors", { token: a.token })).body.monitors,
            [],
          );
          const made = await api(base, "POST", "/api/v1/monitors", {
            token: write.key,
            body: { name: "by key", url: "http://127.0.0.1:9/" },
          });
          assert.equal(made.status, 201);
          const b = await registerTenant(base, "other");
          const theirs = await api(base, "GET", `/api/v1/monitors/${made.body.id}`, {
            token: b.token,
          });
          assert.equal(theirs.status, 404, "the key acts for its own tenant only");
          const asRead = await api(base, "GET", "/api/v1/me", { token: read.key });
          const asWrite = await api(base, "GET", "/api/v1/me", { token: write.key });
          assert.equal(asRead.body.role, "viewer");
          assert.equal(asWrite.body.role, "editor");
          assert.equal(asWrite.body.tenant.id, a.tenantId);
        });

        await t.step("keys open the event stream but never manage keys", async () => {
          const stream = await fetch(`${base}/api/v1/stream/events`, {
            headers: { authorization: `Bearer ${read.key}` },
          });
          assert.equal(stream.status, 200);
          await stream.body?.cancel();
          for (const key of [read.key, write.key]) {
            const list = await api(base, "GET", "/api/v1/api-keys", { token: key });
            assert.equal(list.status, 403);
            const create = await api(base, "POST", "/api/v1/api-keys", {
              token: key,
              body: { name: "x", scope: "write" },
            });
            assert.equal(create.status, 403);
          }
        });

        await t.step("a revoked, expired or tampered key is refused at once", async () => {
          const del = await api(base, "DELETE", `/api/v1/api-keys/${write.id}`, { token: a.token });
          assert.equal(del.status, 204);
          const after = await api(base, "GET", "/api/v1/monitors", { token: write.key });
          assert.equal(after.status, 401);
          const tampered = await api(base, "GET", "/api/v1/monitors", {
            token: read.key.slice(0, -1) + (read.key.endsWith("A") ? "B" : "A"),
          });
          assert.equal(tampered.status, 401);
          const soon = await make("read", {
            expires_at: new Date(Date.now() + 1500).toISOString(),
          });
          assert.equal(
            (await api(base, "GET", "/api/v1/monitors", { token: soon.key })).status,
            200,
          );
          await new Promise((r) => setTimeout(r, 1600));
          assert.equal(
            (await api(base, "GET", "/api/v1/monitors", { token: soon.key })).status,
            401,
          );
          const past = await api(base, "POST", "/api/v1/api-keys", {
            token: a.token,
            body: { name: "old", scope: "read", expires_at: "2020-01-01T00:00:00Z" },
          });
          assert.equal(past.status, 400);
          assert.equal(past.body.error.details[0].path, "expires_at");
          const used = (await api(base, "GET", "/api/v1/api-keys", { token: a.token })).body
            .api_keys
            .find((k: { id: string }) => k.id === read.id);
          assert.ok(used.last_used_at, "last_used_at is kept");
        });
      } finally {
        await server.stop();
      }
    },
  });
}
