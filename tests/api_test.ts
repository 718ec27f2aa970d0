import assert from "node:assert/strict";
import {
  api,
  type ApiResponse,
  BACKENDS,
  errorCode,
  registerTenant,
  startTestServer,
} from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

/** What a tenant can see of its monitors and rules, to show that a request changed nothing. */
async function tenantSnapshot(base: string, token: string) {
  return {
    monitors: (await api(base, "GET", "/api/v1/monitors", { token })).body,
    rules: (await api(base, "GET", "/api/v1/alert-rules", { token })).body,
  };
}

function expectError(res: ApiResponse, status: number, code: string) {
  assert.equal(
    res.status,
    status,
    `expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 300)}`,
  );
  assert.equal(errorCode(res), code);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `API (${backend.name}) accounts, sessions and rate limits`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {
        ALLOW_PRIVATE_TARGETS: "false",
      }, { checks: false });
      const base = server.url;
      try {
        await t.step(
          "register creates a tenant and its owner, with a session cookie",
          async () => {
            const res = await api(base, "POST", "/api/v1/auth/register", {
              body: {
                email: "Owner@Example.TEST",
                password: "0123456789",
                tenant_name: "Acme",
              },
            });
            assert.equal(res.status, 201);
            assert.equal(typeof res.body.token, "string");
            assert.ok(
              Date.parse(res.body.expires_at) > Date.now() + 6 * 86400_000,
            );
            assert.deepEqual(Object.keys(res.body.user).sort(), [
              "email",
              "id",
              "role",
            ]);
            assert.equal(res.body.user.role, "owner");
            assert.equal(res.body.user.email, "owner@example.test");
            assert.equal(res.body.tenant.name, "Acme");
            assert.equal(typeof res.body.tenant.id, "number");
            const cookie = res.headers.get("set-cookie") ?? "";
            assert.match(cookie, /^vi_session=/);
            assert.match(cookie, /HttpOnly/i);
            assert.match(cookie, /SameSite=Lax/i);
            assert.doesNotMatch(cookie, /Secure/i);
          },
        );

        await t.step("the email is taken whatever its case", async () => {
          const res = await api(base, "POST", "/api/v1/auth/register", {
            body: {
              email: "OWNER@example.test",
              password: "0123456789",
              tenant_name: "Other",
            },
          });
          expectError(res, 409, "conflict");
        });

        await t.step("login, me and logout", async () => {
          const login = await api(base, "POST", "/api/v1/auth/login", {
            body: { email: "owner@EXAMPLE.test", password: "0123456789" },
          });
          assert.equal(login.status, 200);
          const me = await api(base, "GET", "/api/v1/me", {
            token: login.body.token,
          });
          assert.equal(me.status, 200);
          assert.equal(me.body.user.email, "owner@example.test");
          assert.equal(me.body.tenant.name, "Acme");
          assert.equal(me.body.role, "owner");
          assert.deepEqual(me.body.tenants, [{
            id: me.body.tenant.id,
            name: "Acme",
            role: "owner",
          }]);
          const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
          const byCookie = await api(base, "GET", "/api/v1/me", {
            headers: { cookie },
          });
          assert.equal(byCookie.status, 200);
          const out = await api(base, "POST", "/api/v1/auth/logout", {
            headers: { cookie },
          });
          assert.equal(out.status, 204);
          assert.match(
            out.headers.get("set-cookie") ?? "",
            /vi_session=;.*Max-Age=0/i,
          );
        });

        await t.step(
          "wrong password and unknown email look the same",
          async () => {
            const wrong = await api(base, "POST", "/api/v1/auth/login", {
              body: {
                email: "owner@example.test",
                password: "not the password",
              },
            });
            const unknown = await api(base, "POST", "/api/v1/auth/login", {
              body: {
                email: "nobody@example.test",
                password: "not the password",
              },
            });
            expectError(wrong, 401, "invalid_credentials");
            expectError(unknown, 401, "invalid_credentials");
            assert.equal(wrong.body.error.message, unknown.body.error.message);
          },
        );

        await t.step(
          "tokens that are tampered, unsigned or from another key are refused",
          async () => {
            const { token } = await registerTenant(base);
            const [h, p, s] = token.split(".");
            const tampered = `${h}.${p.slice(0, -2)}${p.at(-2) === "A" ? "B" : "A"}${
              p.at(-1)
            }.${s}`;
            const none = `${btoa('{"alg":"none","typ":"JWT"}').replace(/=+$/, "")}.${p}.`;
            for (
              const bad of [
                tampered,
                none,
                `${h}.${p}.${s.slice(0, -4)}abcd`,
                "garbage",
                "",
              ]
            ) {
              const res = await api(base, "GET", "/api/v1/me", {
                headers: { authorization: `Bearer ${bad}` },
              });
              expectError(res, 401, "unauthorized");
            }
            expectError(
              await api(base, "GET", "/api/v1/me"),
              401,
              "unauthorized",
            );
          },
        );

        await t.step(
          "ten failures for one email are answered 429 with Retry-After",
          async () => {
            const victim = await registerTenant(base);
            for (let i = 0; i < 10; i++) {
              const res = await api(base, "POST", "/api/v1/auth/login", {
                body: { email: victim.email, password: `wrong-${i}-password` },
              });
              expectError(res, 401, "invalid_credentials");
            }
            const limited = await api(base, "POST", "/api/v1/auth/login", {
              body: { email: victim.email, password: victim.password },
            });
            expectError(limited, 429, "rate_limited");
            assert.ok(Number(limited.headers.get("retry-after")) > 0);
          },
        );
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `API (${backend.name}) monitors, rules and incidents`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {
        ALLOW_PRIVATE_TARGETS: "false",
      }, { checks: false });
      const base = server.url;
      try {
        const a = await registerTenant(base, "A");
        let monitorId = "";
        let ruleId = "";

        await t.step("create a monitor with defaults", async () => {
          const res = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: "Example", url: "https://example.invalid/health" },
          });
          assert.equal(res.status, 201, res.text);
          const m = res.body;
          monitorId = m.id;
          assert.match(m.id, /^[0-9a-f-]{36}$/);
          assert.equal(m.method, "GET");
          assert.equal(m.interval_seconds, 60);
          assert.equal(m.timeout_ms, 10000);
          assert.equal(m.expected_status, "200-399");
          assert.equal(m.keyword, null);
          assert.equal(m.ignore_tls_errors, false);
          assert.equal(m.enabled, true);
          assert.equal(m.status, "pending");
          assert.equal(m.last_check, null);
          assert.ok(!Number.isNaN(Date.parse(m.created_at)));
          assert.ok(m.created_at.endsWith("Z"));
        });

        await t.step("list, get and patch", async () => {
          const list = await api(base, "GET", "/api/v1/monitors", {
            token: a.token,
          });
          assert.equal(list.status, 200);
          assert.equal(list.body.monitors.length, 1);
          const patched = await api(
            base,
            "PATCH",
            `/api/v1/monitors/${monitorId}`,
            {
              token: a.token,
              body: {
                interval_seconds: 30,
                keyword: "ok",
                expected_status: "200,204",
              },
            },
          );
          assert.equal(patched.status, 200, patched.text);
          assert.equal(patched.body.interval_seconds, 30);
          assert.equal(patched.body.keyword, "ok");
          assert.equal(patched.body.name, "Example");
          const got = await api(base, "GET", `/api/v1/monitors/${monitorId}`, {
            token: a.token,
          });
          assert.deepEqual(got.body, patched.body);
        });

        await t.step("queue a check; a disabled monitor is 409", async () => {
          const queued = await api(
            base,
            "POST",
            `/api/v1/monitors/${monitorId}/check`,
            { token: a.token },
          );
          assert.equal(queued.status, 202);
          assert.deepEqual(queued.body, { queued: true });
          await api(base, "PATCH", `/api/v1/monitors/${monitorId}`, {
            token: a.token,
            body: { enabled: false },
          });
          const refused = await api(
            base,
            "POST",
            `/api/v1/monitors/${monitorId}/check`,
            { token: a.token },
          );
          expectError(refused, 409, "conflict");
          await api(base, "PATCH", `/api/v1/monitors/${monitorId}`, {
            token: a.token,
            body: { enabled: true },
          });
        });

        await t.step(
          "checks and stats of a monitor without checks",
          async () => {
            const checks = await api(
              base,
              "GET",
              `/api/v1/monitors/${monitorId}/checks?limit=5`,
              { token: a.token },
            );
            assert.equal(checks.status, 200);
            assert.deepEqual(checks.body, { checks: [] });
            for (const window of ["24h", "7d", "30d"]) {
              const stats = await api(
                base,
                "GET",
                `/api/v1/monitors/${monitorId}/stats?window=${window}`,
                {
                  token: a.token,
                },
              );
              assert.equal(stats.status, 200);
              assert.deepEqual(stats.body, {
                window,
                uptime_percent: null,
                checks: 0,
                avg_response_time_ms: null,
                p95_response_time_ms: null,
              });
            }
          },
        );

        await t.step("alert rules CRUD", async () => {
          const created = await api(base, "POST", "/api/v1/alert-rules", {
            token: a.token,
            body: {
              name: "Down 3x",
              monitor_id: monitorId,
              condition: { type: "consecutive_failures", count: 3 },
            },
          });
          assert.equal(created.status, 201, created.text);
          ruleId = created.body.id;
          assert.deepEqual(created.body.condition, {
            type: "consecutive_failures",
            count: 3,
          });
          assert.equal(created.body.enabled, true);
          const global = await api(base, "POST", "/api/v1/alert-rules", {
            token: a.token,
            body: {
              name: "Slow",
              condition: {
                type: "response_time_above",
                ms: 2000,
                for_checks: 3,
              },
            },
          });
          assert.equal(global.status, 201);
          assert.equal(global.body.monitor_id, null);
          const tls = await api(base, "POST", "/api/v1/alert-rules", {
            token: a.token,
            body: {
              name: "TLS",
              condition: { type: "ssl_expires_within", days: 14 },
            },
          });
          assert.equal(tls.status, 201);
          const list = await api(base, "GET", "/api/v1/alert-rules", {
            token: a.token,
          });
          assert.equal(list.body.alert_rules.length, 3);
          const patched = await api(
            base,
            "PATCH",
            `/api/v1/alert-rules/${ruleId}`,
            {
              token: a.token,
              body: {
                condition: { type: "consecutive_failures", count: 2 },
                enabled: false,
              },
            },
          );
          assert.equal(patched.status, 200);
          assert.equal(patched.body.condition.count, 2);
          assert.equal(patched.body.enabled, false);
          const del = await api(
            base,
            "DELETE",
            `/api/v1/alert-rules/${tls.body.id}`,
            { token: a.token },
          );
          assert.equal(del.status, 204);
          expectError(
            await api(base, "GET", `/api/v1/alert-rules/${tls.body.id}`, {
              token: a.token,
            }),
            404,
            "not_found",
          );
        });

        await t.step("incidents list and filters", async () => {
          const all = await api(base, "GET", "/api/v1/incidents", {
            token: a.token,
          });
          assert.deepEqual(all.body, { incidents: [] });
          const open = await api(
            base,
            "GET",
            `/api/v1/incidents?status=open&monitor_id=${monitorId}`,
            {
              token: a.token,
            },
          );
          assert.equal(open.status, 200);
        });

        await t.step("delete a monitor takes its rules with it", async () => {
          const del = await api(
            base,
            "DELETE",
            `/api/v1/monitors/${monitorId}`,
            { token: a.token },
          );
          assert.equal(del.status, 204);
          expectError(
            await api(base, "GET", `/api/v1/monitors/${monitorId}`, {
              token: a.token,
            }),
            404,
            "not_found",
          );
          expectError(
            await api(base, "GET", `/api/v1/alert-rules/${ruleId}`, {
              token: a.token,
            }),
            404,
            "not_found",
          );
          expectError(
            await api(base, "DELETE", `/api/v1/monitors/${monitorId}`, {
              token: a.token,
            }),
            404,
            "not_found",
          );
        });
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `API (${backend.name}) tenant isolation for every verb`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, { checks: false });
      const base = server.url;
      try {
        const a = await registerTenant(base, "A");
        const b = await registerTenant(base, "B");
        const m = (await api(base, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { name: "A's monitor", url: "http://127.0.0.1:1/" },
        })).body;
        const r = (await api(base, "POST", "/api/v1/alert-rules", {
          token: a.token,
          body: {
            name: "A's rule",
            monitor_id: m.id,
            condition: { type: "consecutive_failures", count: 1 },
          },
        })).body;
        const snapshot = () => tenantSnapshot(base, a.token);
        const before = await snapshot();

        const attempts: [string, string, unknown?][] = [
          ["GET", `/api/v1/monitors/${m.id}`],
          ["PATCH", `/api/v1/monitors/${m.id}`, { name: "stolen" }],
          ["DELETE", `/api/v1/monitors/${m.id}`],
          ["POST", `/api/v1/monitors/${m.id}/check`],
          ["GET", `/api/v1/monitors/${m.id}/checks`],
          ["GET", `/api/v1/monitors/${m.id}/stats?window=24h`],
          ["GET", `/api/v1/alert-rules/${r.id}`],
          ["PATCH", `/api/v1/alert-rules/${r.id}`, { name: "stolen" }],
          ["DELETE", `/api/v1/alert-rules/${r.id}`],
        ];
        for (const [method, path, body] of attempts) {
          await t.step(
            `B cannot ${method} ${path.replace(/[0-9a-f-]{36}/, ":id")}`,
            async () => {
              const res = await api(base, method, path, {
                token: b.token,
                body,
              });
              expectError(res, 404, "not_found");
              assert.doesNotMatch(res.text, /A's/);
            },
          );
        }
        await t.step("B's lists do not show A's data", async () => {
          assert.deepEqual(
            (await api(base, "GET", "/api/v1/monitors", { token: b.token }))
              .body,
            { monitors: [] },
          );
          assert.deepEqual(
            (await api(base, "GET", "/api/v1/alert-rules", { token: b.token }))
              .body,
            {
              alert_rules: [],
            },
          );
          const inc = await api(
            base,
            "GET",
            `/api/v1/incidents?monitor_id=${m.id}`,
            { token: b.token },
          );
          assert.deepEqual(inc.body, { incidents: [] });
        });
        await t.step("B cannot attach a rule to A's monitor", async () => {
          const res = await api(base, "POST", "/api/v1/alert-rules", {
            token: b.token,
            body: {
              name: "x",
              monitor_id: m.id,
              condition: { type: "consecutive_failures", count: 1 },
            },
          });
          expectError(res, 400, "validation_error");
        });
        await t.step("A's data is unchanged", async () => {
          assert.deepEqual(await snapshot(), before);
        });
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `API (${backend.name}) bad input is 4xx in the error shape and changes nothing`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {
        ALLOW_PRIVATE_TARGETS: "false",
      }, { checks: false });
      const base = server.url;
      try {
        const a = await registerTenant(base, "A");
        const m = (await api(base, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { name: "Keep", url: "https://example.invalid/" },
        })).body;
        const r = (await api(base, "POST", "/api/v1/alert-rules", {
          token: a.token,
          body: {
            name: "Keep",
            condition: { type: "consecutive_failures", count: 3 },
          },
        })).body;
        const snapshot = () => tenantSnapshot(base, a.token);
        const before = await snapshot();
        const good = { name: "n", url: "https://example.invalid/" };
        const cases: [
          string,
          string,
          string,
          { body?: unknown; raw?: string; headers?: Record<string, string> },
          number,
          string,
        ][] = [
          [
            "empty body",
            "POST",
            "/api/v1/monitors",
            { raw: "" },
            400,
            "invalid_json",
          ],
          [
            "broken JSON",
            "POST",
            "/api/v1/monitors",
            { raw: "{name:" },
            400,
            "invalid_json",
          ],
          [
            "JSON array",
            "POST",
            "/api/v1/monitors",
            { body: [good] },
            400,
            "validation_error",
          ],
          [
            "JSON string",
            "POST",
            "/api/v1/monitors",
            { body: "x" },
            400,
            "validation_error",
          ],
          [
            "missing name",
            "POST",
            "/api/v1/monitors",
            { body: { url: good.url } },
            400,
            "validation_error",
          ],
          [
            "empty name",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, name: "  " } },
            400,
            "validation_error",
          ],
          [
            "long name",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, name: "x".repeat(101) } },
            400,
            "validation_error",
          ],
          [
            "ftp url",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "ftp://example.com/" } },
            400,
            "validation_error",
          ],
          [
            "relative url",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "/health" } },
            400,
            "validation_error",
          ],
          [
            "long url",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "https://e.com/" + "a".repeat(2040) } },
            400,
            "validation_error",
          ],
          [
            "javascript url",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "javascript:alert(1)" } },
            400,
            "validation_error",
          ],
          [
            "loopback",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://127.0.0.1/" } },
            400,
            "validation_error",
          ],
          [
            "localhost",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://localhost:8000/" } },
            400,
            "validation_error",
          ],
          [
            "RFC 1918",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://10.0.0.5/" } },
            400,
            "validation_error",
          ],
          [
            "metadata",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://169.254.169.254/latest/" } },
            400,
            "validation_error",
          ],
          [
            "decimal IP",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://2130706433/" } },
            400,
            "validation_error",
          ],
          [
            "IPv6 loopback",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://[::1]/" } },
            400,
            "validation_error",
          ],
          [
            "mapped IPv6",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, url: "http://[::ffff:10.0.0.1]/" } },
            400,
            "validation_error",
          ],
          [
            "bad method",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, method: "TRACE" } },
            400,
            "validation_error",
          ],
          [
            "interval too short",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, interval_seconds: 5 } },
            400,
            "validation_error",
          ],
          [
            "interval not integer",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, interval_seconds: 60.5 } },
            400,
            "validation_error",
          ],
          [
            "interval as string",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, interval_seconds: "60" } },
            400,
            "validation_error",
          ],
          [
            "timeout too long",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, timeout_ms: 60001 } },
            400,
            "validation_error",
          ],
          [
            "bad status range",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, expected_status: "600-700" } },
            400,
            "validation_error",
          ],
          [
            "garbage status",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, expected_status: "ok" } },
            400,
            "validation_error",
          ],
          [
            "empty keyword",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, keyword: "" } },
            400,
            "validation_error",
          ],
          [
            "tls flag as string",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, ignore_tls_errors: "yes" } },
            400,
            "validation_error",
          ],
          [
            "unknown field",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, intervalSeconds: 60 } },
            400,
            "validation_error",
          ],
          [
            "too large",
            "POST",
            "/api/v1/monitors",
            { body: { ...good, name: "x".repeat(70_000) } },
            413,
            "payload_too_large",
          ],
          [
            "patch bad field",
            "PATCH",
            `/api/v1/monitors/${m.id}`,
            { body: { timeout_ms: 0 } },
            400,
            "validation_error",
          ],
          [
            "patch null name",
            "PATCH",
            `/api/v1/monitors/${m.id}`,
            { body: { name: null } },
            400,
            "validation_error",
          ],
          [
            "patch private url",
            "PATCH",
            `/api/v1/monitors/${m.id}`,
            { body: { url: "http://192.168.1.1/" } },
            400,
            "validation_error",
          ],
          [
            "patch broken JSON",
            "PATCH",
            `/api/v1/monitors/${m.id}`,
            { raw: "{" },
            400,
            "invalid_json",
          ],
          ["non-UUID id", "GET", "/api/v1/monitors/123", {}, 404, "not_found"],
          [
            "non-canonical UUID",
            "GET",
            `/api/v1/monitors/${m.id.toUpperCase()}`,
            {},
            404,
            "not_found",
          ],
          [
            "limit zero",
            "GET",
            `/api/v1/monitors/${m.id}/checks?limit=0`,
            {},
            400,
            "validation_error",
          ],
          [
            "limit too big",
            "GET",
            `/api/v1/monitors/${m.id}/checks?limit=1001`,
            {},
            400,
            "validation_error",
          ],
          [
            "limit text",
            "GET",
            `/api/v1/monitors/${m.id}/checks?limit=ten`,
            {},
            400,
            "validation_error",
          ],
          [
            "bad before",
            "GET",
            `/api/v1/monitors/${m.id}/checks?before=yesterday`,
            {},
            400,
            "validation_error",
          ],
          [
            "bad window",
            "GET",
            `/api/v1/monitors/${m.id}/stats?window=1y`,
            {},
            400,
            "validation_error",
          ],
          [
            "bad incident status",
            "GET",
            "/api/v1/incidents?status=closed",
            {},
            400,
            "validation_error",
          ],
          [
            "bad incident monitor",
            "GET",
            "/api/v1/incidents?monitor_id=abc",
            {},
            400,
            "validation_error",
          ],
          [
            "rule without condition",
            "POST",
            "/api/v1/alert-rules",
            { body: { name: "x" } },
            400,
            "validation_error",
          ],
          [
            "rule unknown type",
            "POST",
            "/api/v1/alert-rules",
            { body: { name: "x", condition: { type: "cpu", pct: 9 } } },
            400,
            "validation_error",
          ],
          [
            "rule negative count",
            "POST",
            "/api/v1/alert-rules",
            {
              body: {
                name: "x",
                condition: { type: "consecutive_failures", count: -1 },
              },
            },
            400,
            "validation_error",
          ],
          [
            "rule bad monitor id",
            "POST",
            "/api/v1/alert-rules",
            {
              body: {
                name: "x",
                monitor_id: "nope",
                condition: { type: "ssl_expires_within", days: 3 },
              },
            },
            400,
            "validation_error",
          ],
          [
            "rule missing monitor",
            "POST",
            "/api/v1/alert-rules",
            {
              body: {
                name: "x",
                monitor_id: crypto.randomUUID(),
                condition: { type: "ssl_expires_within", days: 3 },
              },
            },
            400,
            "validation_error",
          ],
          [
            "rule patch extra",
            "PATCH",
            `/api/v1/alert-rules/${r.id}`,
            { body: { colour: "red" } },
            400,
            "validation_error",
          ],
          [
            "register short password",
            "POST",
            "/api/v1/auth/register",
            {
              body: {
                email: "x@example.test",
                password: "short",
                tenant_name: "t",
              },
            },
            400,
            "validation_error",
          ],
          [
            "register bad email",
            "POST",
            "/api/v1/auth/register",
            {
              body: {
                email: "not-an-email",
                password: "0123456789",
                tenant_name: "t",
              },
            },
            400,
            "validation_error",
          ],
          [
            "register long password",
            "POST",
            "/api/v1/auth/register",
            {
              body: {
                email: "y@example.test",
                password: "p".repeat(201),
                tenant_name: "t",
              },
            },
            400,
            "validation_error",
          ],
          [
            "login missing password",
            "POST",
            "/api/v1/auth/login",
            { body: { email: "x@example.test" } },
            400,
            "validation_error",
          ],
          ["unknown path", "GET", "/api/v1/nothing-here", {}, 404, "not_found"],
          [
            "wrong method",
            "PUT",
            "/api/v1/monitors",
            { body: good },
            405,
            "method_not_allowed",
          ],
          [
            "wrong method on id",
            "POST",
            `/api/v1/monitors/${m.id}`,
            {},
            405,
            "method_not_allowed",
          ],
          [
            "bad last event id",
            "GET",
            "/api/v1/stream/events?last_event_id=abc",
            {},
            400,
            "validation_error",
          ],
        ];
        for (const [name, method, path, opts, status, code] of cases) {
          await t.step(`${name}: ${status} ${code}`, async () => {
            const res = await api(base, method, path, {
              token: a.token,
              ...opts,
            });
            expectError(res, status, code);
            if (code === "validation_error") {
              assert.ok(
                res.body.error.details.length > 0,
                "details name the fields",
              );
            }
          });
        }
        await t.step(
          `nothing changed after ${cases.length} bad requests`,
          async () => {
            assert.ok(cases.length >= 30);
            assert.deepEqual(await snapshot(), before);
          },
        );
        await t.step(
          "a validation error names the field and the reason",
          async () => {
            const res = await api(base, "POST", "/api/v1/monitors", {
              token: a.token,
              body: { name: "x", url: "ftp://example.com/" },
            });
            assert.equal(res.body.error.details[0].path, "url");
            assert.match(
              res.body.error.message,
              /url must use http or https, got ftp/,
            );
          },
        );
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `API (${backend.name}) cookies need a same-origin request to change state`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, { checks: false });
      const base = server.url;
      try {
        const a = await registerTenant(base, "A");
        const body = { name: "csrf", url: "http://127.0.0.1:9/" };
        await t.step("foreign Origin is 403 and creates nothing", async () => {
          const res = await api(base, "POST", "/api/v1/monitors", {
            body,
            headers: { cookie: a.cookie, origin: "https://evil.example" },
          });
          expectError(res, 403, "forbidden");
          const noOrigin = await api(base, "POST", "/api/v1/monitors", {
            body,
            headers: { cookie: a.cookie },
          });
          expectError(noOrigin, 403, "forbidden");
          const list = await api(base, "GET", "/api/v1/monitors", {
            headers: { cookie: a.cookie },
          });
          assert.deepEqual(list.body, { monitors: [] });
        });
        await t.step(
          "own Origin or Sec-Fetch-Site same-origin is accepted",
          async () => {
            const res = await api(base, "POST", "/api/v1/monitors", {
              body,
              headers: { cookie: a.cookie, origin: base },
            });
            assert.equal(res.status, 201);
            const res2 = await api(base, "POST", "/api/v1/monitors", {
              body,
              headers: { cookie: a.cookie, "sec-fetch-site": "same-origin" },
            });
            assert.equal(res2.status, 201);
          },
        );
        await t.step(
          "Bearer requests are not subject to the Origin rule",
          async () => {
            const res = await api(base, "POST", "/api/v1/monitors", {
              token: a.token,
              body,
              headers: { origin: "https://evil.example" },
            });
            assert.equal(res.status, 201);
          },
        );
      } finally {
        await server.stop();
      }
    },
  });
}
