/**
 * Monitor kinds through the API, against real servers on loopback: tcp and
 * dns monitors checked by the worker; push monitors called with plain HTTP
 * (with and without start and fail); a missed period stored exactly once,
 * also with two instances on PostgreSQL; http options and masked headers.
 */
import assert from "node:assert/strict";
import { openPostgres } from "../core/db/postgres.ts";
import {
  api,
  BACKENDS,
  eventually,
  postgresBackend,
  registerTenant,
  startTestServer,
  TEST_DATABASE_URL,
} from "./_helpers.ts";
import { startDnsServer } from "./_dns_server.ts";
import { openStream } from "./_sse.ts";
import { closedPort, startTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

for (const backend of BACKENDS) {
  Deno.test({
    name: `monitor kinds (${backend.name}): tcp, dns, push and http options, end to end`,
    ...integration,
    async fn(t) {
      const target = startTarget();
      const dns = await startDnsServer({ "db.example.test": { A: ["203.0.113.7"] } });
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const server = await startTestServer(backend, { PUBLIC_URL: "https://vi.example.test" });
      const base = server.url;
      try {
        const a = await registerTenant(base);
        const stream = await openStream(`${base}/api/v1/stream/events`, {
          headers: { authorization: `Bearer ${a.token}` },
        });
        const create = async (body: Record<string, unknown>) => {
          const res = await api(base, "POST", "/api/v1/monitors", { token: a.token, body });
          assert.equal(res.status, 201, res.text);
          return res.body;
        };
        const checksOf = (id: string) =>
          stream.events().filter((f) =>
            f.event === "monitor_check" && JSON.parse(f.data!).data.monitor_id === id
          ).map((f) => JSON.parse(f.data!).data);

        await t.step("tcp: an open port is up, a closed one down with the reason", async () => {
          const open = await create({
            type: "tcp",
            name: "db",
            host: "127.0.0.1",
            port: (listener.addr as Deno.NetAddr).port,
            interval_seconds: 3600,
          });
          assert.equal(open.type, "tcp");
          assert.equal(open.url, null);
          const port = closedPort();
          const closed = await create({
            type: "tcp",
            name: "cache",
            host: "localhost",
            port,
            interval_seconds: 3600,
          });
          await stream.waitFor(
            () => checksOf(open.id).length > 0 && checksOf(closed.id).length > 0,
            8000,
            "both tcp checks",
          );
          assert.equal(checksOf(open.id)[0].success, true);
          assert.ok(checksOf(open.id)[0].response_time_ms >= 0);
          assert.equal(checksOf(closed.id)[0].success, false);
          assert.equal(
            checksOf(closed.id)[0].error_message,
            `Connection refused by localhost:${port}`,
          );
        });

        await t.step("dns: the expected answer is up, a drifted one down", async () => {
          const good = await create({
            type: "dns",
            name: "db record",
            hostname: "db.example.test",
            record_type: "A",
            expected: "203.0.113.7",
            resolver: dns.resolver,
            interval_seconds: 3600,
          });
          await stream.waitFor(() => checksOf(good.id).length > 0, 8000, "dns check");
          assert.equal(checksOf(good.id)[0].success, true);
          dns.zone = { "db.example.test": { A: ["198.51.100.2"] } };
          await api(base, "POST", `/api/v1/monitors/${good.id}/check`, { token: a.token });
          await stream.waitFor(() => checksOf(good.id).length > 1, 5000, "second dns check");
          assert.equal(
            checksOf(good.id)[1].error_message,
            "expected 203.0.113.7, got 198.51.100.2",
          );
        });

        await t.step("push: plain calls, start and fail, an unknown token", async () => {
          const push = await create({
            type: "push",
            name: "nightly backup",
            interval_seconds: 3600,
            grace_seconds: 300,
          });
          assert.match(push.push_token, /^[A-Za-z0-9_-]{20,}$/);
          assert.equal(push.push_url, `https://vi.example.test/api/v1/push/${push.push_token}`);
          const url = `${base}/api/v1/push/${push.push_token}`;
          // A job's plain curl: GET, then a POST with a log as a form body.
          const get = await fetch(url);
          assert.deepEqual(await get.json(), { ok: true });
          const post = await fetch(`${url}?ping=1234`, {
            method: "POST",
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: "log=all good",
          });
          assert.equal(post.status, 200);
          await post.body?.cancel();
          await stream.waitFor(() => checksOf(push.id).length >= 2, 5000, "two push checks");
          assert.equal(checksOf(push.id)[0].success, true);
          assert.equal(checksOf(push.id)[1].response_time_ms, 1234);

          const start = await fetch(`${url}/start`);
          await start.body?.cancel();
          await new Promise((r) => setTimeout(r, 150));
          const fail = await fetch(`${url}/fail?msg=disk+full`, { method: "POST" });
          await fail.body?.cancel();
          await stream.waitFor(() => checksOf(push.id).length >= 3, 5000, "the failure");
          const failed = checksOf(push.id)[2];
          assert.equal(failed.success, false);
          assert.equal(failed.error_message, "disk full");
          assert.ok(
            failed.response_time_ms >= 100,
            `run time ${failed.response_time_ms} ms from /start`,
          );
          assert.equal(checksOf(push.id).length, 3, "start alone stores no check");

          const unknown = await fetch(`${base}/api/v1/push/not-a-real-token-at-all`);
          assert.equal(unknown.status, 404);
          await unknown.body?.cancel();
          const page = await fetch(`${base}/monitors/${push.id}`, {
            headers: { cookie: a.cookie },
          });
          const html = await page.text();
          assert.ok(html.includes(push.push_url), "the page shows the push URL");
          assert.match(html, /crontab/);
          assert.match(html, /disk full/, "the page lists the last calls");
        });

        await t.step("push: a missed period is stored once as a failed check", async () => {
          const push = await create({
            type: "push",
            name: "hourly",
            interval_seconds: 60,
            grace_seconds: 0,
          });
          const db = server.deps.db;
          // Make its deadline pass now: the scheduler claims it like any due monitor.
          await db.query("UPDATE monitors SET next_check_at = now() WHERE id = $1", [push.id]);
          server.deps.wakeScheduler();
          await stream.waitFor(() => checksOf(push.id).length >= 1, 5000, "the missed period");
          assert.equal(checksOf(push.id)[0].success, false);
          assert.equal(checksOf(push.id)[0].error_message, "No ping within 1 min");
          const [row] = await db.query<{ s: number }>(
            "SELECT extract(epoch FROM next_check_at - now())::float8 AS s FROM monitors WHERE id = $1",
            [push.id],
          );
          assert.ok(row.s > 50, `the next missed period is due in ${row.s} s`);
        });

        await t.step("http: POST with headers and a body, headers masked in answers", async () => {
          const m = await create({
            name: "api",
            url: `${target.url}/echo`,
            method: "POST",
            headers: { "X-Api-Key": "s3cret" },
            body: '{"probe":1}',
            json_assertion: { path: "$.headers.x-api-key", op: "==", value: "s3cret" },
            interval_seconds: 3600,
          });
          assert.deepEqual(m.headers, { "X-Api-Key": "********" });
          await stream.waitFor(() => checksOf(m.id).length > 0, 8000, "the POST check");
          assert.equal(checksOf(m.id)[0].success, true, checksOf(m.id)[0].error_message);
          // A PATCH that sends the mask keeps the stored value.
          const patched = await api(base, "PATCH", `/api/v1/monitors/${m.id}`, {
            token: a.token,
            body: { headers: { "X-Api-Key": "********" }, keyword: "probe", keyword_absent: true },
          });
          assert.equal(patched.status, 200, patched.text);
          await api(base, "POST", `/api/v1/monitors/${m.id}/check`, { token: a.token });
          await stream.waitFor(() => checksOf(m.id).length > 1, 5000, "the second check");
          // The key still matches (so it was kept), and the echoed body holds the keyword.
          assert.equal(checksOf(m.id)[1].error_message, 'Keyword "probe" found');
          const list = await api(base, "GET", "/api/v1/monitors", { token: a.token });
          const answered = list.body.monitors.find((x: { id: string }) => x.id === m.id);
          assert.deepEqual(answered.headers, { "X-Api-Key": "********" });
          assert.ok(
            !list.text.includes('"X-Api-Key":"s3cret"'),
            "header values are never answered",
          );
        });

        await t.step("bad input per kind is 400 naming the field", async () => {
          const cases: [Record<string, unknown>, string][] = [
            [{ type: "tcp", name: "x", host: "db", port: 70000 }, "port"],
            [{ type: "tcp", name: "x", port: 5432 }, "host"],
            [{ type: "dns", name: "x", hostname: "a.test", record_type: "SRV" }, "record_type"],
            [{ type: "dns", name: "x", hostname: "a.test", resolver: "not an ip" }, "resolver"],
            [{ type: "push", name: "x", grace_seconds: -1 }, "grace_seconds"],
            [{ type: "push", name: "x", url: "https://a.test/" }, "url"],
            [{ name: "x", url: "https://a.test/", method: "TRACE" }, "method"],
            [
              { name: "x", url: "https://a.test/", headers: { "Bad Name": "v" } },
              "headers.Bad Name",
            ],
            [{
              name: "x",
              url: "https://a.test/",
              json_assertion: { path: "status", op: "==", value: 1 },
            }, "json_assertion.path"],
          ];
          for (const [body, path] of cases) {
            const res = await api(base, "POST", "/api/v1/monitors", { token: a.token, body });
            assert.equal(res.status, 400, `${JSON.stringify(body)}: ${res.text}`);
            assert.ok(
              res.body.error.details.some((d: { path: string }) => d.path === path),
              `${JSON.stringify(body)} names ${path}: ${res.text}`,
            );
          }
          const tcp = (await api(base, "GET", "/api/v1/monitors", { token: a.token })).body.monitors
            .find((m: { type: string }) => m.type === "tcp");
          const change = await api(base, "PATCH", `/api/v1/monitors/${tcp.id}`, {
            token: a.token,
            body: { type: "dns" },
          });
          assert.equal(change.status, 400);
          assert.equal(change.body.error.details[0].path, "type");
        });
        await stream.close();
      } finally {
        await server.stop();
        await target.close();
        await dns.close();
        listener.close();
      }
    },
  });
}

Deno.test({
  name: "monitor kinds: private tcp hosts and dns resolvers are refused when not allowed",
  ...integration,
  async fn() {
    const server = await startTestServer(BACKENDS[0], { ALLOW_PRIVATE_TARGETS: "false" }, {
      checks: false,
    });
    try {
      const a = await registerTenant(server.url);
      for (
        const [body, path] of [
          [{ type: "tcp", name: "x", host: "127.0.0.1", port: 5432 }, "host"],
          [{ type: "tcp", name: "x", host: "localhost", port: 5432 }, "host"],
          [
            { type: "dns", name: "x", hostname: "a.example.com", resolver: "10.0.0.53" },
            "resolver",
          ],
          [{ type: "dns", name: "x", hostname: "printer.local" }, "hostname"],
        ] as const
      ) {
        const res = await api(server.url, "POST", "/api/v1/monitors", { token: a.token, body });
        assert.equal(res.status, 400, res.text);
        assert.equal(res.body.error.details[0].path, path);
      }
    } finally {
      await server.stop();
    }
  },
});

Deno.test({
  name: "monitor kinds (postgres): a missed push period on two instances is stored exactly once",
  ignore: !TEST_DATABASE_URL,
  ...integration,
  async fn() {
    const { db: first, url, cleanup } = await postgresBackend.create();
    const second = await openPostgres(url!);
    const a = await startTestServer(postgresBackend, {}, { shared: { db: first } });
    const b = await startTestServer(postgresBackend, {}, { shared: { db: second } });
    try {
      const tenant = await registerTenant(a.url);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const m = await api(i % 2 ? a.url : b.url, "POST", "/api/v1/monitors", {
          token: tenant.token,
          body: { type: "push", name: `job ${i}`, interval_seconds: 3600, grace_seconds: 0 },
        });
        ids.push(m.body.id);
      }
      await first.query("UPDATE monitors SET next_check_at = now() WHERE id = ANY($1::uuid[])", [
        ids,
      ]);
      a.deps.wakeScheduler();
      b.deps.wakeScheduler();
      await eventually(
        async () => {
          const [row] = await first.query<{ n: number }>(
            "SELECT count(DISTINCT monitor_id)::int AS n FROM checks WHERE monitor_id = ANY($1::uuid[])",
            [ids],
          );
          return row.n === 20;
        },
        10_000,
        "a missed period for every job",
      );
      // Both schedulers go on polling (every 250 ms): a few more rounds could double a miss.
      await new Promise((r) => setTimeout(r, 1000));
      const rows = await first.query<{ monitor_id: string; n: number }>(
        `SELECT monitor_id, count(*)::int AS n FROM checks WHERE monitor_id = ANY($1::uuid[])
         GROUP BY monitor_id`,
        [ids],
      );
      assert.equal(rows.length, 20);
      assert.ok(rows.every((r) => r.n === 1), JSON.stringify(rows.filter((r) => r.n !== 1)));
      assert.equal(a.checks!.stored + b.checks!.stored, 20, "stored by one instance or the other");
    } finally {
      await a.stop();
      await b.stop();
      await second.close();
      await cleanup();
    }
  },
});
