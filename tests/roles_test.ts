/**
 * The roles table: every authenticated `/api/v1` route and method of the
 * manifest, called by each role and each API key scope. A caller below the
 * route's role is answered `403` and nothing changes; a caller at or above it
 * is never answered `403`. A new route is covered without touching this file.
 */
import assert from "node:assert/strict";
import { hasRole, type Role } from "../core/auth/roles.ts";
import { manifest } from "../routes.gen.ts";
import type { RouteConfig } from "../web/app_env.ts";
import { routePath } from "../web/router.ts";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const SOME_ID = "7d444840-9dc0-11d1-b245-5ffdce74fad2";
/** Allowed calls that would end the caller's own session: their refusals are still checked. */
const NOT_CALLED_WHEN_ALLOWED = new Set(["POST /api/v1/auth/logout-everywhere"]);

interface Case {
  method: string;
  path: string;
  needed: Role;
  noApiKeys: boolean;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const [file, mod] of Object.entries(manifest.routes)) {
    if (!file.startsWith("./routes/api/v1/")) continue;
    const m = mod as { handler?: Record<string, unknown>; config?: RouteConfig };
    const config = m.config ?? {};
    if ((config.auth ?? "required") !== "required" || !m.handler) continue;
    const path = routePath(file).replace(/:\w+/g, SOME_ID);
    for (const method of METHODS) {
      if (!m.handler[method]) continue;
      const safe = method === "GET";
      out.push({
        // The event stream never ends: HEAD authenticates it the same way and opens none.
        method: path === "/api/v1/stream/events" ? "HEAD" : method,
        path,
        needed: config.role ?? (safe ? "viewer" : "editor"),
        noApiKeys: config.noApiKeys ?? false,
      });
    }
  }
  return out;
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `roles table (${backend.name}): every route, every role and key scope`,
    ...integration,
    async fn() {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      try {
        const owner = await registerTenant(base);
        const callers: { name: string; token: string; role: Role; key: boolean }[] = [
          { name: "owner", token: owner.token, role: "owner", key: false },
        ];
        for (const role of ["admin", "editor", "viewer"] as const) {
          const inv = await api(base, "POST", "/api/v1/invitations", {
            token: owner.token,
            body: { email: `${role}-${crypto.randomUUID().slice(0, 6)}@example.test`, role },
          });
          const joined = await api(base, "POST", "/api/v1/auth/accept-invitation", {
            body: { token: inv.body.token, password: `${role} long password` },
          });
          assert.equal(joined.status, 200, joined.text);
          callers.push({ name: role, token: joined.body.token, role, key: false });
        }
        for (const scope of ["read", "write"] as const) {
          const key = await api(base, "POST", "/api/v1/api-keys", {
            token: owner.token,
            body: { name: scope, scope },
          });
          callers.push({
            name: `${scope} key`,
            token: key.body.key,
            role: scope === "write" ? "editor" : "viewer",
            key: true,
          });
        }
        const snapshot = async () =>
          JSON.stringify(
            await server.deps.db.query(
              `SELECT (SELECT count(*) FROM audit_log)::int AS audit,
                 (SELECT count(*) FROM monitors)::int AS monitors,
                 (SELECT count(*) FROM memberships)::int AS members,
                 (SELECT count(*) FROM invitations)::int AS invitations,
                 (SELECT count(*) FROM api_keys)::int AS keys,
                 (SELECT string_agg(role, ',' ORDER BY user_id) FROM memberships) AS roles`,
            ),
          );

        const table = cases();
        assert.ok(table.length >= 40, `the manifest yields the routes (${table.length})`);
        let refusals = 0;
        let allowed = 0;
        for (const c of table) {
          for (const caller of callers) {
            const mayCall = hasRole(caller.role, c.needed) && !(caller.key && c.noApiKeys);
            const label = `${caller.name}: ${c.method} ${c.path} (needs ${c.needed})`;
            if (mayCall && NOT_CALLED_WHEN_ALLOWED.has(`${c.method} ${c.path}`)) continue;
            const before = mayCall ? "" : await snapshot();
            const res = await api(base, c.method, c.path, {
              token: caller.token,
              body: c.method === "GET" || c.method === "HEAD" ? undefined : {},
            });
            if (mayCall) {
              assert.notEqual(res.status, 403, `${label} was refused: ${res.text}`);
              assert.notEqual(res.status, 401, `${label} lost its session: ${res.text}`);
              allowed++;
            } else {
              assert.equal(res.status, 403, `${label}: ${res.status} ${res.text}`);
              assert.equal(res.body.error.code, "forbidden", label);
              assert.equal(await snapshot(), before, `${label} changed something`);
              refusals++;
            }
          }
        }
        assert.ok(
          refusals > 50 && allowed > 50,
          `both sides were exercised (${refusals}/${allowed})`,
        );
      } finally {
        await server.stop();
      }
    },
  });
}
