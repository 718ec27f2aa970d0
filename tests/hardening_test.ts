/**
 * Regression tests of the defects of issue 12 (a security review and
 * hostile-input testing), each on both backends where a database is involved.
 */
import assert from "node:assert/strict";
import { resolveIncident } from "../core/alerts/incidents.ts";
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import type { Database } from "../core/db/database.ts";
import { appendEvents } from "../core/events/append_events.ts";
import {
  api,
  BACKENDS,
  errorCode,
  eventually,
  postgresBackend,
  registerTenant,
  startTestServer,
  TEST_DATABASE_URL,
} from "./_helpers.ts";
import { startTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const CRASHING_WORKER = new URL("./fixtures/crashing_worker.ts", import.meta.url);
const BROKEN_WORKER = new URL("./fixtures/broken_worker.ts", import.meta.url);

function outcome(monitorId: string, success: boolean, checkedAt: string): CheckOutcome {
  return {
    monitorId,
    success,
    statusCode: success ? 200 : 500,
    responseTimeMs: 10,
    errorMessage: success ? null : "Unexpected status 500 (expected 200-399)",
    sslValid: null,
    sslExpiresAt: null,
    checkedAt,
    durationMs: 10,
  };
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `hardening (${backend.name}): hostile input is refused in the API's shape`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, { ALLOW_PRIVATE_TARGETS: "false" });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const bad = ["a\u0000b", "lone \ud800 high", "lone \udc00 low"];

        await t.step("NUL and lone surrogates: 400 naming the field, nothing stored", async () => {
          for (const text of bad) {
            const cases: [string, string, unknown, string][] = [
              ["POST", "/api/v1/monitors", { name: text, url: "https://example.com/" }, "name"],
              [
                "POST",
                "/api/v1/monitors",
                { name: "ok", url: "https://example.com/", keyword: text },
                "keyword",
              ],
              [
                "POST",
                "/api/v1/alert-rules",
                { name: text, condition: { type: "consecutive_failures", count: 2 } },
                "name",
              ],
              ["POST", "/api/v1/auth/login", { email: text, password: "x" }, "email"],
              [
                "POST",
                "/api/v1/auth/register",
                { email: "a@example.test", password: `long enough ${text}`, tenant_name: "t" },
                "password",
              ],
            ];
            for (const [method, path, body, field] of cases) {
              const res = await api(base, method, path, { token: a.token, body });
              assert.equal(res.status, 400, `${path} ${JSON.stringify(text)}: ${res.text}`);
              assert.equal(errorCode(res), "validation_error");
              assert.ok(
                res.body.error.details.some((d: { path: string }) => d.path === field),
                `${path} names ${field}: ${res.text}`,
              );
            }
            const q = await api(base, "GET", "/api/v1/incidents?status=op%00en", {
              token: a.token,
            });
            assert.equal(q.status, 400);
          }
          const monitors = await api(base, "GET", "/api/v1/monitors", { token: a.token });
          assert.deepEqual(monitors.body.monitors, []);
          const rules = await api(base, "GET", "/api/v1/alert-rules", { token: a.token });
          assert.deepEqual(rules.body.alert_rules, []);
        });

        await t.step("a JSON key with NUL is refused too", async () => {
          const res = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            raw: '{"name":"ok","url":"https://example.com/","x\\u0000":1}',
          });
          assert.equal(res.status, 400);
        });

        await t.step("non-JSON bodies on /api/* are 415 and change nothing", async () => {
          for (
            const type of [
              "text/plain",
              "application/x-www-form-urlencoded",
              "multipart/form-data; boundary=x",
            ]
          ) {
            const res = await api(base, "POST", "/api/v1/monitors", {
              token: a.token,
              raw: JSON.stringify({ name: "m", url: "https://example.com/" }),
              headers: { "content-type": type },
            });
            assert.equal(res.status, 415, type);
            assert.equal(errorCode(res), "unsupported_media_type");
          }
          const ok = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            raw: JSON.stringify({ name: "m", url: "https://example.com/" }),
            headers: { "content-type": "application/json; charset=utf-8" },
          });
          assert.equal(ok.status, 201, "control: JSON with a charset is accepted");
          const list = await api(base, "GET", "/api/v1/monitors", { token: a.token });
          assert.equal(list.body.monitors.length, 1);
        });

        await t.step(
          "cross-site login, register and logout are refused and set no cookie",
          async () => {
            const forged = (path: string, body: string) =>
              fetch(base + path, {
                method: "POST",
                headers: { "content-type": "text/plain", origin: "https://evil.example" },
                body,
              });
            for (
              const [path, body] of [
                ["/api/v1/auth/login", JSON.stringify({ email: a.email, password: a.password })],
                [
                  "/api/v1/auth/register",
                  JSON.stringify({
                    email: "x@evil.example",
                    password: "0123456789",
                    tenant_name: "x",
                  }),
                ],
                ["/api/v1/auth/logout", ""],
              ]
            ) {
              const res = await forged(path, body);
              assert.ok([403, 415].includes(res.status), `${path}: ${res.status}`);
              assert.equal(res.headers.get("set-cookie"), null);
              await res.body?.cancel();
              const json = await fetch(base + path, {
                method: "POST",
                headers: { "content-type": "application/json", origin: "https://evil.example" },
                body: body || "{}",
              });
              assert.equal(json.status, 403, `${path} as JSON from another site`);
              assert.equal(json.headers.get("set-cookie"), null);
              await json.body?.cancel();
            }
            const own = await fetch(`${base}/api/v1/auth/login`, {
              method: "POST",
              headers: { "content-type": "application/json", origin: base },
              body: JSON.stringify({ email: a.email, password: a.password }),
            });
            assert.equal(own.status, 200, "control: our own origin signs in");
            await own.body?.cancel();
          },
        );

        await t.step("the sign-in form leads only to paths of this server", async () => {
          const cases: [string, string][] = [
            ["%2F%09%2Fevil.example%2Fx", "/dashboard"],
            ["%2F%0A%2Fevil.example", "/dashboard"],
            ["%2F%5Cevil.example", "/dashboard"],
            ["%2F%2Fevil.example", "/dashboard"],
            ["https%3A%2F%2Fevil.example%2F", "/dashboard"],
            ["%2Fmonitors%2Fabc%3Fx%3D1", "/monitors/abc?x=1"],
          ];
          for (const [next, expected] of cases) {
            const res = await fetch(`${base}/login?next=${next}`, {
              method: "POST",
              headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
              body: new URLSearchParams({ email: a.email, password: a.password }),
              redirect: "manual",
            });
            assert.equal(res.status, 303, `next=${next}`);
            assert.equal(res.headers.get("location"), expected, `next=${next}`);
            await res.body?.cancel();
          }
        });

        await t.step("SSRF: IPv6 forms that carry a private IPv4 address are refused", async () => {
          for (
            const url of [
              "http://[64:ff9b:1::a9fe:a9fe]/",
              "http://[2002:a9fe:a9fe::]/",
              "http://[::ffff:0:7f00:1]/",
              "http://[64:ff9b::7f00:1]/",
            ]
          ) {
            const res = await api(base, "POST", "/api/v1/monitors", {
              token: a.token,
              body: { name: "ssrf", url },
            });
            assert.equal(res.status, 400, url);
            assert.equal(res.body.error.details[0].path, "url");
          }
        });

        await t.step("rules look at most 100 checks back", async () => {
          for (
            const condition of [
              { type: "consecutive_failures", count: 101 },
              { type: "response_time_above", ms: 100, for_checks: 1000 },
            ]
          ) {
            const res = await api(base, "POST", "/api/v1/alert-rules", {
              token: a.token,
              body: { name: "deep", condition },
            });
            assert.equal(res.status, 400, JSON.stringify(condition));
          }
          const ok = await api(base, "POST", "/api/v1/alert-rules", {
            token: a.token,
            body: { name: "deep", condition: { type: "consecutive_failures", count: 100 } },
          });
          assert.equal(ok.status, 201, "control: 100 is allowed");
        });
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `hardening (${backend.name}): login limits hold under concurrency, memory stays bounded`,
    ...integration,
    async fn(t) {
      // The product's limits, not the loose ones of the other tests.
      const server = await startTestServer(backend, {}, { limiters: {} });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const wrong = (email: string, from = "127.0.0.1") =>
          fetch(`${base}/api/v1/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": from },
            body: JSON.stringify({ email, password: "wrong password" }),
          }).then(async (r) => {
            await r.body?.cancel();
            return r.status;
          });

        await t.step("30 concurrent failures for one email: at most 10 are tried", async () => {
          const statuses = await Promise.all(Array.from({ length: 30 }, () => wrong(a.email)));
          const tried = statuses.filter((s) => s === 401).length;
          assert.ok(tried <= 10, `${tried} attempts were tried`);
          assert.ok(statuses.every((s) => [401, 429, 503].includes(s)), statuses.join(","));
          assert.ok(statuses.includes(429), "the limit answered 429");
        });

        await t.step("200 concurrent sign-ins keep the process under +200 MB", async () => {
          (globalThis as { gc?: () => void }).gc?.();
          const before = Deno.memoryUsage().rss;
          let peak = before;
          const sampler = setInterval(() => (peak = Math.max(peak, Deno.memoryUsage().rss)), 5);
          const statuses = await Promise.all(
            Array.from({ length: 200 }, (_, i) => wrong(`nobody${i}@example.test`)),
          );
          clearInterval(sampler);
          assert.ok(statuses.some((s) => s === 401), "control: some were tried");
          assert.ok(statuses.some((s) => s === 503 || s === 429), "the rest were told to retry");
          const grown = (peak - before) / 1024 / 1024;
          assert.ok(grown < 200, `grew by ${grown.toFixed(0)} MB`);
        });
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name:
      `hardening (${backend.name}): HEAD on the event stream opens nothing and keeps the ticket`,
    ...integration,
    async fn() {
      const server = await startTestServer(backend, { SSE_MAX_CONNECTIONS_PER_TENANT: "5" });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        for (let i = 0; i < 20; i++) {
          const res = await fetch(`${base}/api/v1/stream/events`, {
            method: "HEAD",
            headers: { authorization: `Bearer ${a.token}` },
          });
          assert.equal(res.status, 200);
          assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
          await res.body?.cancel();
        }
        assert.equal(server.deps.hub.connectionsOf(a.tenantId), 0);
        const ticket = await api(base, "POST", "/api/v1/stream/tickets", { token: a.token });
        const head = await fetch(`${base}/api/v1/stream/events?ticket=${ticket.body.ticket}`, {
          method: "HEAD",
        });
        assert.equal(head.status, 200);
        const controller = new AbortController();
        const get = await fetch(`${base}/api/v1/stream/events?ticket=${ticket.body.ticket}`, {
          signal: controller.signal,
        });
        assert.equal(get.status, 200, "the ticket still works after HEAD");
        assert.equal(server.deps.hub.connectionsOf(a.tenantId), 1);
        controller.abort();
        await get.body?.cancel().catch(() => {});
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `hardening (${backend.name}): quotas on monitors, manual checks and tickets`,
    ...integration,
    async fn() {
      const server = await startTestServer(backend, { MAX_MONITORS_PER_TENANT: "3" }, {
        limiters: {},
      });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const create = () =>
          api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: "m", url: "http://127.0.0.1:9/", enabled: false },
          });
        const statuses = await Promise.all([create(), create(), create(), create(), create()]);
        assert.deepEqual(statuses.map((r) => r.status).sort(), [201, 201, 201, 409, 409]);
        const list = await api(base, "GET", "/api/v1/monitors", { token: a.token });
        assert.equal(list.body.monitors.length, 3);
        const other = await registerTenant(base);
        const theirs = await api(base, "POST", "/api/v1/monitors", {
          token: other.token,
          body: { name: "m", url: "http://127.0.0.1:9/", enabled: false },
        });
        assert.equal(theirs.status, 201, "another tenant has its own quota");

        let refused = null;
        for (let i = 0; i < 700 && !refused; i++) {
          const res = await api(base, "POST", "/api/v1/stream/tickets", { token: a.token });
          if (res.status === 429) refused = res;
          else assert.equal(res.status, 201);
        }
        assert.ok(refused, "tickets are limited per tenant");
        assert.ok(Number(refused.headers.get("retry-after")) > 0);
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `hardening (${backend.name}): an older result does not overwrite a newer last check`,
    ...integration,
    async fn() {
      const server = await startTestServer(backend, {}, { checks: false });
      try {
        const a = await registerTenant(server.url);
        const m = await api(server.url, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { name: "m", url: "http://127.0.0.1:9/" },
        });
        const db = server.deps.db;
        await storeResults(db, [outcome(m.body.id, true, "2026-12-01T10:00:10.000Z")]);
        await storeResults(db, [outcome(m.body.id, false, "2026-12-01T10:00:00.000Z")]);
        const got = await api(server.url, "GET", `/api/v1/monitors/${m.body.id}`, {
          token: a.token,
        });
        assert.equal(got.body.last_check.checked_at, "2026-12-01T10:00:10.000Z");
        assert.equal(got.body.status, "up");
        const checks = await api(server.url, "GET", `/api/v1/monitors/${m.body.id}/checks`, {
          token: a.token,
        });
        assert.equal(checks.body.checks.length, 2, "the older result is still stored");
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `hardening (${backend.name}): results the database refuses are retried, not dropped`,
    ...integration,
    async fn(t) {
      const target = startTarget();
      const created = await backend.create();
      let failing = false;
      const flaky: Database = {
        ...created.db,
        kind: created.db.kind,
        query: (sql, params) => created.db.query(sql, params),
        exec: (sql) => created.db.exec(sql),
        listen: (...args) => created.db.listen(...args),
        close: () => created.db.close(),
        transaction: (fn) =>
          failing ? Promise.reject(new Error("database unavailable")) : created.db.transaction(fn),
      };
      const server = await startTestServer(backend, {}, {
        shared: { db: flaky },
        checkRunner: { maxBacklog: 2 },
      });
      try {
        const a = await registerTenant(server.url);
        const make = async (name: string) =>
          (await api(server.url, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name, url: `${target.url}/ok`, interval_seconds: 3600 },
          })).body.id as string;
        const first = await make("first");
        await eventually(() => server.checks!.stored >= 1, 8000, "the first check stored");

        await t.step("a refused batch waits and is stored once the database answers", async () => {
          failing = true;
          await api(server.url, "POST", `/api/v1/monitors/${first}/check`, { token: a.token });
          await eventually(() => server.checks!.backlog >= 1, 5000, "a result waiting");
          await eventually(
            () => server.log.lines.some((l) => l.includes("could not store check results")),
            5000,
            "the retry logged",
          );
          failing = false;
          await eventually(() => server.checks!.stored >= 2, 15_000, "the result stored");
          assert.equal(server.deps.metrics.checkResultsDropped, 0);
        });

        await t.step("past the backlog bound the oldest are dropped and counted", async () => {
          const more = [await make("a"), await make("b"), await make("c")];
          await eventually(() => server.checks!.stored >= 5, 8000, "their first checks stored");
          failing = true;
          for (const id of [first, ...more]) {
            await api(server.url, "POST", `/api/v1/monitors/${id}/check`, { token: a.token });
          }
          await eventually(() => server.deps.metrics.checkResultsDropped > 0, 10_000, "a drop");
          const metrics = await (await fetch(`${server.url}/metrics`)).text();
          assert.match(metrics, /vinsight_check_results_dropped_total [1-9]/);
          assert.ok(server.log.lines.some((l) => l.includes("check results dropped")));
          failing = false;
        });
      } finally {
        failing = false;
        await server.close();
        await created.cleanup();
        await target.close();
      }
    },
  });
}

Deno.test({
  name: "hardening: a worker that cannot start is restarted with a backoff and /readyz says so",
  ...integration,
  async fn() {
    const server = await startTestServer(BACKENDS[0], {}, {
      checkRunner: { workerUrl: BROKEN_WORKER, restartDelayMs: 200 },
    });
    try {
      // The server waited 5 s for the worker to start. With 200 ms doubling, restarts come
      // at 0.2, 0.6, 1.4, 3.0 and 6.2 s: a handful, where an immediate restart makes hundreds.
      const started = performance.now();
      await eventually(() => server.checks!.restarts >= 4, 10_000, "four restarts");
      const restarts = server.checks!.restarts;
      assert.ok(restarts <= 6, `${restarts} restarts in ${performance.now() - started + 5000} ms`);
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal((await ready.json()).error.code, "unavailable");
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      assert.match(metrics, /vinsight_check_worker_restarts_total [4-9]/);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200, "the process itself is alive");
      await health.body?.cancel();
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name: "hardening: a check that crashes the worker twice is stored as failed, the rest go on",
  ...integration,
  async fn() {
    const target = startTarget();
    const server = await startTestServer(BACKENDS[0], {}, {
      checkRunner: { workerUrl: CRASHING_WORKER, restartDelayMs: 100 },
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      assert.equal(ready.status, 200, "control: a working worker is ready");
      await ready.body?.cancel();
      const a = await registerTenant(server.url);
      const crash = await api(server.url, "POST", "/api/v1/monitors", {
        token: a.token,
        body: { name: "crash", url: `${target.url}/crash`, interval_seconds: 3600 },
      });
      const fine = await api(server.url, "POST", "/api/v1/monitors", {
        token: a.token,
        body: { name: "fine", url: `${target.url}/ok`, interval_seconds: 3600 },
      });
      const crashed = await eventually(
        async () => {
          const res = await api(server.url, "GET", `/api/v1/monitors/${crash.body.id}`, {
            token: a.token,
          });
          return res.body.last_check;
        },
        15_000,
        "the crashing check stored",
      );
      assert.equal(crashed.success, false);
      assert.equal(crashed.error_message, "the check crashed the check worker");
      await eventually(
        async () => {
          const res = await api(server.url, "GET", `/api/v1/monitors/${fine.body.id}`, {
            token: a.token,
          });
          return res.body.last_check?.success === true;
        },
        15_000,
        "the other monitor checked",
      );
      await eventually(
        async () => {
          const res = await fetch(`${server.url}/readyz`);
          await res.body?.cancel();
          return res.status === 200;
        },
        10_000,
        "ready again",
      );
      assert.ok(server.checks!.restarts >= 2 && server.checks!.restarts <= 3);
    } finally {
      await server.stop();
      await target.close();
    }
  },
});

Deno.test({
  name: "hardening (postgres): writers that insert incidents and append events do not deadlock",
  ignore: !TEST_DATABASE_URL,
  ...integration,
  async fn() {
    const server = await startTestServer(postgresBackend, {}, { checks: false });
    try {
      const a = await registerTenant(server.url);
      const m = await api(server.url, "POST", "/api/v1/monitors", {
        token: a.token,
        body: { name: "m", url: "http://127.0.0.1:9/" },
      });
      const db = server.deps.db;
      let arrived = 0;
      let go: () => void = () => {};
      const barrier = new Promise<void>((r) => (go = r));
      const writer = (n: number) =>
        db.transaction(async (tx) => {
          await tx.query(
            `INSERT INTO incidents (tenant_id, monitor_id, alert_rule_id, rule_name, status, opened_at)
             VALUES ($1, $2, NULL, $3, 'resolved', now())`,
            [a.tenantId, m.body.id, `writer ${n}`],
          );
          if (++arrived === 2) go();
          await barrier;
          return await appendEvents(tx, [{
            tenantId: a.tenantId,
            event: {
              type: "incident_resolved",
              data: {
                incident_id: crypto.randomUUID(),
                monitor_id: m.body.id,
                alert_rule_id: null,
                rule_name: `writer ${n}`,
                status: "resolved",
                resolved_at: new Date().toISOString(),
              },
            },
          }]);
        });
      const [one, two] = await Promise.all([writer(1), writer(2)]);
      assert.notEqual(one[0].id, two[0].id, "ids stay serialised");
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name: "hardening (postgres): an incident resolved by two writers at once is resolved once",
  ignore: !TEST_DATABASE_URL,
  ...integration,
  async fn() {
    const server = await startTestServer(postgresBackend, {}, { checks: false });
    try {
      const a = await registerTenant(server.url);
      const m = await api(server.url, "POST", "/api/v1/monitors", {
        token: a.token,
        body: { name: "m", url: "http://127.0.0.1:9/" },
      });
      const db = server.deps.db;
      const [incident] = await db.query<{ id: string }>(
        `INSERT INTO incidents (tenant_id, monitor_id, alert_rule_id, rule_name, status, opened_at)
         VALUES ($1, $2, NULL, 'r', 'open', now()) RETURNING id`,
        [a.tenantId, m.body.id],
      );
      let arrived = 0;
      let go: () => void = () => {};
      const barrier = new Promise<void>((r) => (go = r));
      const writer = () =>
        db.transaction(async (tx) => {
          // Both see the incident open before either resolves it.
          const [row] = await tx.query<{ status: string }>(
            "SELECT status FROM incidents WHERE id = $1",
            [incident.id],
          );
          assert.equal(row.status, "open");
          if (++arrived === 2) go();
          await barrier;
          return await resolveIncident(tx, incident.id, new Date().toISOString());
        });
      const results = await Promise.all([writer(), writer()]);
      assert.equal(results.filter((r) => r !== null).length, 1, "one writer resolved it");
    } finally {
      await server.stop();
    }
  },
});
