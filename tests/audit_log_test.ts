/**
 * The audit log: every write through the API, by a user or an API key, newest
 * first; refused writes leave no entry; tenants see only their own; keys cannot
 * read it; one write of every kind the manifest has is recorded with its target.
 */
import assert from "node:assert/strict";
import { auditedAction } from "../core/audit/audit_log.ts";
import { manifest } from "../routes.gen.ts";
import type { RouteConfig } from "../web/app_env.ts";
import { routePath } from "../web/router.ts";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

/** Signed-in writes that change no tenant resource: switching tenant signs in, a ticket is a stream's. */
const UNAUDITED_WRITES = new Set([
  "POST /api/v1/auth/switch-tenant",
  "POST /api/v1/stream/tickets",
]);

/** Every signed-in write route of the manifest, as `METHOD /path/:param`. */
function signedInWrites(): string[] {
  const out: string[] = [];
  for (const [file, mod] of Object.entries(manifest.routes)) {
    if (!file.startsWith("./routes/api/v1/")) continue;
    const m = mod as { handler?: Record<string, unknown>; config?: RouteConfig };
    if ((m.config?.auth ?? "required") !== "required" || !m.handler) continue;
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      if (m.handler[method]) out.push(`${method} ${routePath(file)}`);
    }
  }
  return out.sort();
}

Deno.test("every signed-in write route of the manifest names an audit action", () => {
  const writes = signedInWrites();
  assert.ok(writes.length >= 30, `the manifest yields the writes (${writes.length})`);
  for (const w of writes) {
    const [method, path] = w.split(" ");
    const action = auditedAction(method, path.replace(/:\w+/g, "x"));
    if (UNAUDITED_WRITES.has(w)) assert.equal(action, null, w);
    else assert.ok(action, `${w} is not audited`);
  }
});

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

        await t.step("one write of every kind is recorded, with its actor and target", async () => {
          const o = await registerTenant(base, "every kind");
          const done: { call: string; action: string; target: string | null }[] = [];
          /** Makes a write, expects `status`, notes the entry it owes. */
          const write = async (
            route: string,
            path: string,
            status: number,
            opts: { body?: unknown; token?: string; target?: string | null } = {},
          ) => {
            const [method] = route.split(" ");
            const res = await api(base, method, path, {
              token: opts.token ?? o.token,
              body: opts.body ?? (method === "DELETE" ? undefined : {}),
            });
            assert.equal(res.status, status, `${route}: ${res.text}`);
            const action = auditedAction(method, path)!.action;
            done.push({ call: route, action, target: opts.target ?? res.body?.id ?? null });
            return res;
          };
          const monitor = await write("POST /api/v1/monitors", "/api/v1/monitors", 201, {
            body: { name: "M", url: "http://127.0.0.1:9/", interval_seconds: 3600 },
          });
          const m = monitor.body.id;
          await write("PATCH /api/v1/monitors/:id", `/api/v1/monitors/${m}`, 200, {
            body: { name: "M2" },
          });
          await write("POST /api/v1/monitors/:id/check", `/api/v1/monitors/${m}/check`, 202, {
            target: m,
          });
          await write("POST /api/v1/monitors/:id/badge", `/api/v1/monitors/${m}/badge`, 201, {
            target: m,
          });
          await write("DELETE /api/v1/monitors/:id/badge", `/api/v1/monitors/${m}/badge`, 204, {
            target: m,
          });
          const rule = await write("POST /api/v1/alert-rules", "/api/v1/alert-rules", 201, {
            body: {
              name: "down",
              monitor_id: m,
              condition: { type: "consecutive_failures", count: 3 },
            },
          });
          await write("PATCH /api/v1/alert-rules/:id", `/api/v1/alert-rules/${rule.body.id}`, 200, {
            body: { name: "down 2" },
            target: rule.body.id,
          });
          await write(
            "DELETE /api/v1/alert-rules/:id",
            `/api/v1/alert-rules/${rule.body.id}`,
            204,
            {
              target: rule.body.id,
            },
          );
          const channel = await write(
            "POST /api/v1/notification-channels",
            "/api/v1/notification-channels",
            201,
            { body: { name: "hook", type: "webhook", config: { url: "http://127.0.0.1:9/hook" } } },
          );
          const ch = channel.body.id;
          await write(
            "PATCH /api/v1/notification-channels/:id",
            `/api/v1/notification-channels/${ch}`,
            200,
            { body: { name: "hook 2" }, target: ch },
          );
          await write(
            "POST /api/v1/notification-channels/:id/rotate-secret",
            `/api/v1/notification-channels/${ch}/rotate-secret`,
            201,
            { target: ch },
          );
          const tested = await write(
            "POST /api/v1/notification-channels/:id/test",
            `/api/v1/notification-channels/${ch}/test`,
            202,
            { target: ch },
          );
          // The dispatcher is off here: the test delivery is made to have failed, then retried.
          await server.deps.db.query("UPDATE deliveries SET status = 'failed' WHERE id = $1", [
            tested.body.delivery_id,
          ]);
          await write(
            "POST /api/v1/deliveries/:id/retry",
            `/api/v1/deliveries/${tested.body.delivery_id}/retry`,
            202,
            { target: tested.body.delivery_id },
          );
          const page = await write("POST /api/v1/status-pages", "/api/v1/status-pages", 201, {
            body: {
              slug: `every-${crypto.randomUUID().slice(0, 8)}`,
              title: "Every",
              components: [{ monitor_id: m }],
            },
          });
          const p = page.body.id;
          await write("PATCH /api/v1/status-pages/:id", `/api/v1/status-pages/${p}`, 200, {
            body: { title: "Every 2" },
            target: p,
          });
          const report = await write(
            "POST /api/v1/status-pages/:id/reports",
            `/api/v1/status-pages/${p}/reports`,
            201,
            { body: { title: "Slow", status: "investigating", message: "Looking." } },
          );
          const r = report.body.id;
          await write(
            "POST /api/v1/status-reports/:id/updates",
            `/api/v1/status-reports/${r}/updates`,
            201,
            { body: { status: "resolved", message: "Fixed." }, target: r },
          );
          await write("DELETE /api/v1/status-reports/:id", `/api/v1/status-reports/${r}`, 204, {
            target: r,
          });
          const win = await write(
            "POST /api/v1/maintenance-windows",
            "/api/v1/maintenance-windows",
            201,
            {
              body: {
                title: "Upgrade",
                starts_at: new Date(Date.now() + 86_400_000).toISOString(),
                ends_at: new Date(Date.now() + 90_000_000).toISOString(),
              },
            },
          );
          const w = win.body.id;
          await write(
            "PATCH /api/v1/maintenance-windows/:id",
            `/api/v1/maintenance-windows/${w}`,
            200,
            { body: { title: "Upgrade 2" }, target: w },
          );
          await write(
            "DELETE /api/v1/maintenance-windows/:id",
            `/api/v1/maintenance-windows/${w}`,
            204,
            { target: w },
          );
          await write("DELETE /api/v1/status-pages/:id", `/api/v1/status-pages/${p}`, 204, {
            target: p,
          });
          await write(
            "DELETE /api/v1/notification-channels/:id",
            `/api/v1/notification-channels/${ch}`,
            204,
            {
              target: ch,
            },
          );
          await write("DELETE /api/v1/monitors/:id", `/api/v1/monitors/${m}`, 204, { target: m });
          const key = await write("POST /api/v1/api-keys", "/api/v1/api-keys", 201, {
            body: { name: "ci", scope: "read" },
          });
          await write("DELETE /api/v1/api-keys/:id", `/api/v1/api-keys/${key.body.id}`, 204, {
            target: key.body.id,
          });
          // Two members: an admin who reads the log at the end, a viewer who is changed and removed.
          const join = async (role: string) => {
            const email = `${role}-${crypto.randomUUID().slice(0, 8)}@example.test`;
            const inv = await write("POST /api/v1/invitations", "/api/v1/invitations", 201, {
              body: { email, role },
            });
            const joined = await api(base, "POST", "/api/v1/auth/accept-invitation", {
              body: { token: inv.body.token, password: `${role} long password` },
            });
            assert.equal(joined.status, 200, joined.text);
            done.push({ call: "", action: "member.joined", target: joined.body.user.id });
            return { id: joined.body.user.id as string, email, token: joined.body.token as string };
          };
          const admin = await join("admin");
          const viewer = await join("viewer");
          await write("PATCH /api/v1/members/:id", `/api/v1/members/${viewer.id}`, 200, {
            body: { role: "editor" },
            target: viewer.id,
          });
          await write("DELETE /api/v1/members/:id", `/api/v1/members/${viewer.id}`, 204, {
            target: viewer.id,
          });
          const withdrawn = await write("POST /api/v1/invitations", "/api/v1/invitations", 201, {
            body: { email: "nobody@example.test", role: "viewer" },
          });
          await write(
            "DELETE /api/v1/invitations/:id",
            `/api/v1/invitations/${withdrawn.body.id}`,
            204,
            { target: withdrawn.body.id },
          );
          await write("POST /api/v1/auth/password", "/api/v1/auth/password", 204, {
            body: { current_password: o.password, new_password: "a new long password" },
            target: o.userId,
          });
          const again = await api(base, "POST", "/api/v1/auth/login", {
            body: { email: o.email, password: "a new long password" },
          });
          assert.equal(again.status, 200, again.text);
          await write(
            "POST /api/v1/auth/logout-everywhere",
            "/api/v1/auth/logout-everywhere",
            204,
            {
              token: again.body.token,
              target: o.userId,
            },
          );

          // Every signed-in write of the manifest was made once at least (a new one lands here).
          const made = new Set(done.map((d) => d.call));
          for (const w of signedInWrites()) {
            if (!UNAUDITED_WRITES.has(w)) assert.ok(made.has(w), `${w} is not exercised here`);
          }
          const entries = (await log(admin.token, "?limit=1000")).reverse();
          assert.deepEqual(
            entries.map((e) => [e.action, e.target_id]),
            done.map((d) => [d.action, d.target]),
          );
          const byAdmin = entries.filter((e) => e.actor.id === admin.id).map((e) => e.action);
          assert.deepEqual(byAdmin, ["member.joined"]);
          assert.ok(
            entries.filter((e) => e.actor.id !== admin.id && e.actor.id !== viewer.id)
              .every((e) => e.actor.type === "user" && e.actor.id === o.userId),
            "the owner made the rest",
          );
        });
      } finally {
        await server.stop();
      }
    },
  });
}
