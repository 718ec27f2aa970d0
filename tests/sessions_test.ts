/**
 * Ending sessions: a password change ends every other token, cookie and
 * stream ticket of the user and keeps the one that asked; logging out
 * everywhere ends them all. API keys are the tenant's, not sessions, and go on.
 */
import assert from "node:assert/strict";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

for (const backend of BACKENDS) {
  Deno.test({
    name: `sessions (${backend.name}): password change and logout everywhere end them at once`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      const meStatus = async (auth: { token?: string; headers?: Record<string, string> }) =>
        (await api(base, "GET", "/api/v1/me", auth)).status;
      const login = async (email: string, password: string) =>
        await api(base, "POST", "/api/v1/auth/login", { body: { email, password } });
      try {
        const a = await registerTenant(base);
        const second = await login(a.email, a.password);
        assert.equal(second.status, 200);
        const other = second.body.token as string;
        const cookie = (second.headers.get("set-cookie") ?? "").split(";")[0];
        const ticket = (await api(base, "POST", "/api/v1/stream/tickets", { token: other })).body
          .ticket as string;
        const ticketStatus = async () =>
          (await fetch(`${base}/api/v1/stream/events?ticket=${ticket}`, { method: "HEAD" }))
            .status;
        const key = await api(base, "POST", "/api/v1/api-keys", {
          token: a.token,
          body: { name: "stays", scope: "read" },
        });
        assert.equal(key.status, 201);
        const NEW = "a much better password";

        await t.step("a wrong current password or a short new one changes nothing", async () => {
          const wrong = await api(base, "POST", "/api/v1/auth/password", {
            token: a.token,
            body: { current_password: "not it at all", new_password: NEW },
          });
          assert.equal(wrong.status, 401);
          assert.equal(wrong.body.error.code, "invalid_credentials");
          const short = await api(base, "POST", "/api/v1/auth/password", {
            token: a.token,
            body: { current_password: a.password, new_password: "short" },
          });
          assert.equal(short.status, 400);
          assert.equal(short.body.error.code, "validation_error");
          assert.equal(await meStatus({ token: other }), 200);
          assert.equal(await meStatus({ headers: { cookie } }), 200);
          assert.equal(await ticketStatus(), 200);
          assert.equal((await login(a.email, a.password)).status, 200);
        });

        await t.step("an API key cannot change the password", async () => {
          const res = await api(base, "POST", "/api/v1/auth/password", {
            token: key.body.key,
            body: { current_password: a.password, new_password: NEW },
          });
          assert.equal(res.status, 403);
          assert.equal(res.body.error.code, "forbidden");
        });

        await t.step("a password change keeps this session and ends every other", async () => {
          const res = await api(base, "POST", "/api/v1/auth/password", {
            token: a.token,
            body: { current_password: a.password, new_password: NEW },
          });
          assert.equal(res.status, 204, res.text);
          assert.equal(await meStatus({ token: a.token }), 200, "the asking session goes on");
          assert.equal(await meStatus({ token: other }), 401);
          assert.equal(await meStatus({ headers: { cookie } }), 401);
          assert.equal(await ticketStatus(), 401);
          assert.equal((await login(a.email, a.password)).status, 401);
          assert.equal((await login(a.email, NEW)).status, 200);
          assert.equal(await meStatus({ token: key.body.key }), 200, "keys are not sessions");
        });

        await t.step("logout everywhere ends every session, then a new sign-in works", async () => {
          const fresh = await login(a.email, NEW);
          assert.equal(await meStatus({ token: fresh.body.token }), 200);
          const res = await api(base, "POST", "/api/v1/auth/logout-everywhere", {
            token: fresh.body.token,
          });
          assert.equal(res.status, 204, res.text);
          assert.equal(await meStatus({ token: fresh.body.token }), 401);
          assert.equal(await meStatus({ token: a.token }), 401, "the kept session ends too");
          const again = await login(a.email, NEW);
          assert.equal(await meStatus({ token: again.body.token }), 200);
        });

        await t.step("another user's sessions are untouched", async () => {
          const b = await registerTenant(base);
          const res = await api(base, "POST", "/api/v1/auth/logout-everywhere", {
            token: (await login(a.email, NEW)).body.token,
          });
          assert.equal(res.status, 204);
          assert.equal(await meStatus({ token: b.token }), 200);
        });
      } finally {
        await server.stop();
      }
    },
  });
}
