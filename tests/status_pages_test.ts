/**
 * Public status pages: the tenant's API, the public JSON and HTML with their
 * caching, custom domains, and a property test that the public surface never
 * shows what it must not (monitor URLs and ids, errors, other monitors, the
 * tenant), whatever pages and monitors are made.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { storeResults } from "../core/checks/store_results.ts";
import { api, BACKENDS, errorCode, registerTenant, startTestServer } from "./_helpers.ts";
import { openStream } from "./_sse.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

for (const backend of BACKENDS) {
  Deno.test({
    name: `status pages (${backend.name}): API, public JSON and HTML, caching, custom domains`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      const db = server.deps.db;
      try {
        const a = await registerTenant(base, "Acme");
        const monitor = async (name: string, url: string) =>
          (await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name, url, interval_seconds: 3600 },
          })).body;
        const web = await monitor("web-internal-name", "https://secret-origin.example/health");
        const apiMon = await monitor("api", "https://api.example/health");
        const hidden = await monitor("hidden-monitor", "https://hidden.example/");
        await storeResults(db, [
          {
            monitorId: web.id,
            success: true,
            statusCode: 200,
            responseTimeMs: 120,
            errorMessage: null,
            sslValid: null,
            sslExpiresAt: null,
            checkedAt: new Date().toISOString(),
            durationMs: 120,
          },
          {
            monitorId: apiMon.id,
            success: false,
            statusCode: 500,
            responseTimeMs: 40,
            errorMessage: "Unexpected status 500 (expected 200-399)",
            sslValid: null,
            sslExpiresAt: null,
            checkedAt: new Date().toISOString(),
            durationMs: 40,
          },
        ]);

        const created = await api(base, "POST", "/api/v1/status-pages", {
          token: a.token,
          body: {
            slug: "acme",
            title: "Acme status",
            description: "Our services",
            custom_domain: "status.acme.test",
            components: [
              { monitor_id: web.id, name: "Website", group: "Public" },
              { monitor_id: apiMon.id, group: "Public" },
            ],
          },
        });

        await t.step(
          "a page is created with its components; names default to the monitor's",
          () => {
            assert.equal(created.status, 201, created.text);
            assert.equal(created.body.url, `${base}/status/acme`);
            assert.deepEqual(created.body.components.map((c: { name: string }) => c.name), [
              "Website",
              "api",
            ]);
          },
        );

        await t.step("a taken slug is 409, another tenant's monitor 400", async () => {
          const again = await api(base, "POST", "/api/v1/status-pages", {
            token: a.token,
            body: { slug: "acme", title: "x" },
          });
          assert.equal(again.status, 409);
          assert.equal(errorCode(again), "conflict");
          const b = await registerTenant(base, "Other");
          const foreign = await api(base, "POST", "/api/v1/status-pages", {
            token: b.token,
            body: { slug: "other", title: "x", components: [{ monitor_id: web.id }] },
          });
          assert.equal(foreign.status, 400);
          assert.equal(foreign.body.error.details[0].path, "components.0.monitor_id");
          const bad = await api(base, "POST", "/api/v1/status-pages", {
            token: a.token,
            body: { slug: "A!", title: "x" },
          });
          assert.equal(bad.status, 400);
          assert.equal(bad.body.error.details[0].path, "slug");
          const theirs = await api(base, "GET", `/api/v1/status-pages/${created.body.id}`, {
            token: b.token,
          });
          assert.equal(theirs.status, 404);
        });

        await t.step(
          "the public JSON: statuses, uptime and 90 daily bars, and nothing else",
          async () => {
            const res = await fetch(`${base}/api/v1/public/status/acme`);
            assert.equal(res.status, 200);
            assert.equal(res.headers.get("cache-control"), "public, max-age=10");
            const etag = res.headers.get("etag");
            assert.ok(etag);
            const body = await res.json();
            assert.equal(body.title, "Acme status");
            assert.equal(body.status, "degraded");
            assert.deepEqual(body.components.map((c: { status: string }) => c.status), [
              "up",
              "down",
            ]);
            const c0 = body.components[0];
            assert.equal(c0.days.length, 90);
            assert.equal(c0.days.at(-1).uptime_percent, 100);
            assert.equal(c0.days[0].uptime_percent, null, "a day without checks");
            assert.equal(c0.uptime["24h"], 100);
            assert.equal(c0.response_time_ms, undefined, "response times are off");
            const text = JSON.stringify(body);
            for (
              const secret of [
                web.id,
                web.url,
                "secret-origin",
                "Unexpected status",
                "hidden-monitor",
                hidden.id,
                "web-internal-name",
                a.email,
              ]
            ) {
              assert.ok(!text.includes(secret), `the public JSON shows ${secret}`);
            }
            const again = await fetch(`${base}/api/v1/public/status/acme`, {
              headers: { "if-none-match": etag! },
            });
            assert.equal(again.status, 304);
            await again.body?.cancel();
          },
        );

        await t.step("the HTML works without JavaScript and is cached the same way", async () => {
          const res = await fetch(`${base}/status/acme`);
          assert.equal(res.status, 200);
          assert.equal(res.headers.get("cache-control"), "public, max-age=10");
          const html = await res.text();
          assert.match(html, /Acme status/);
          assert.match(html, /Some systems are down/);
          assert.match(html, /Website/);
          // The content is all there without JavaScript; the one script (ours, external) makes it live.
          assert.ok(!/<script[^>]*>[^<]/.test(html), "no inline script");
          assert.match(html, /<script src="\/static\/status\.js\?v=[0-9a-f]+" defer>/);
          assert.ok(!html.includes(web.url) && !html.includes("hidden-monitor"));
          const again = await fetch(`${base}/status/acme`, {
            headers: { "if-none-match": res.headers.get("etag")! },
          });
          assert.equal(again.status, 304);
          await again.body?.cancel();
        });

        await t.step("the custom domain serves the page at /", async () => {
          // fetch() does not let a caller set Host; a raw request does.
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
          await conn.write(new TextEncoder().encode(
            "GET / HTTP/1.1\r\nHost: status.acme.test\r\nConnection: close\r\n\r\n",
          ));
          let raw = "";
          for await (const chunk of conn.readable) raw += new TextDecoder().decode(chunk);
          assert.match(raw, /^HTTP\/1\.1 200/);
          assert.match(raw, /Acme status/);
          const plain = await fetch(`${base}/`);
          assert.doesNotMatch(await plain.text(), /Acme status/);
        });

        await t.step(
          "a change of status shows at once; response times only when shown",
          async () => {
            await storeResults(db, [{
              monitorId: apiMon.id,
              success: true,
              statusCode: 200,
              responseTimeMs: 30,
              errorMessage: null,
              sslValid: null,
              sslExpiresAt: null,
              checkedAt: new Date().toISOString(),
              durationMs: 30,
            }]);
            await new Promise((r) => setTimeout(r, 100)); // the event reaches the cache
            const body = await (await fetch(`${base}/api/v1/public/status/acme`)).json();
            assert.equal(body.status, "operational");
            await api(base, "PATCH", `/api/v1/status-pages/${created.body.id}`, {
              token: a.token,
              body: { show_response_times: true },
            });
            const shown = await (await fetch(`${base}/api/v1/public/status/acme`)).json();
            assert.equal(shown.components[0].response_time_ms, 120);
          },
        );

        await t.step(
          "the public event stream: status changes live, replay, nothing private",
          async () => {
            const stream = await openStream(`${base}/api/v1/public/status/acme/events`);
            const check = (success: boolean) =>
              storeResults(db, [{
                monitorId: web.id,
                success,
                statusCode: success ? 200 : 500,
                responseTimeMs: 50,
                errorMessage: success ? null : "SECRET-ERROR-TEXT",
                sslValid: null,
                sslExpiresAt: null,
                checkedAt: new Date().toISOString(),
                durationMs: 50,
              }]);
            await check(true); // no change (already up): no frame
            await check(false); // a change: one frame
            await stream.waitFor(
              (f) => f.some((x) => x.event === "component_status"),
              5000,
              "a component_status frame",
            );
            const frames = stream.events().filter((f) => f.event === "component_status");
            assert.equal(frames.length, 1, "only the change is sent");
            const data = JSON.parse(frames[0].data!);
            assert.equal(data.component_id, created.body.components[0].id);
            assert.equal(data.status, "down");
            for (const f of stream.events()) {
              assert.ok(
                !(f.data ?? "").includes(web.id) && !(f.data ?? "").includes("SECRET-ERROR-TEXT"),
              );
            }
            // A viewer that comes back with the id before the change gets it replayed.
            const before = Number(frames[0].id) - 1;
            const again = await openStream(`${base}/api/v1/public/status/acme/events`, {
              headers: { "last-event-id": String(before) },
            });
            await again.waitFor(
              (f) => f.some((x) => x.event === "component_status" && x.id === frames[0].id),
              5000,
              "the replayed frame",
            );
            await again.close();
            // One with an id this log never gave (another database): `reset` (reload the
            // page's JSON), then the live changes, although their ids are lower than its.
            const elsewhere = await openStream(`${base}/api/v1/public/status/acme/events`, {
              headers: { "last-event-id": String(Number(frames[0].id) + 1_000_000) },
            });
            await elsewhere.waitFor((f) => f.some((x) => x.event === "reset"), 5000, "reset");
            await check(true);
            await elsewhere.waitFor(
              (f) => f.some((x) => x.event === "component_status"),
              5000,
              "a live change after the reset",
            );
            assert.deepEqual(
              elsewhere.events().filter((f) => f.event).map((f) => f.event),
              ["reset", "component_status"],
            );
            await elsewhere.close();
            await stream.close();
            const unknown = await fetch(`${base}/api/v1/public/status/nope-nope/events`);
            assert.equal(unknown.status, 404);
            await unknown.body?.cancel();
          },
        );

        await t.step("badges: status, uptime and p95 as SVG, off again with DELETE", async () => {
          const on = await api(base, "POST", `/api/v1/monitors/${web.id}/badge`, {
            token: a.token,
          });
          assert.equal(on.status, 201);
          assert.match(on.body.badge_token, /^[A-Za-z0-9_-]{16,}$/);
          const status = await fetch(on.body.urls.status);
          assert.equal(status.headers.get("content-type"), "image/svg+xml; charset=utf-8");
          assert.equal(status.headers.get("cache-control"), "public, max-age=60");
          const statusSvg = await status.text();
          assert.match(statusSvg, /^<svg/);
          assert.match(statusSvg, />up</);
          const uptime = await (await fetch(on.body.urls.uptime.replace("24h", "7d"))).text();
          assert.match(uptime, /uptime 7d/);
          assert.match(uptime, /<text[^>]*>\d+(\.\d+)? %<\/text>/);
          const p95 = await (await fetch(on.body.urls.response)).text();
          assert.match(p95, /p95 24h/);
          assert.match(p95, /\d+ ms/);
          const bad = await fetch(on.body.urls.uptime.replace("24h", "1y"));
          assert.equal(bad.status, 400);
          await bad.body?.cancel();
          const off = await api(base, "DELETE", `/api/v1/monitors/${web.id}/badge`, {
            token: a.token,
          });
          assert.equal(off.status, 204);
          const gone = await fetch(on.body.urls.status);
          assert.equal(gone.status, 404);
          await gone.body?.cancel();
        });

        await t.step(
          "status reports: created, updated to resolved, shown on the page and pushed to viewers",
          async () => {
            const viewer = await openStream(`${base}/api/v1/public/status/acme/events`);
            const dashboard = await openStream(`${base}/api/v1/stream/events`, {
              headers: { authorization: `Bearer ${a.token}` },
            });
            const report = await api(
              base,
              "POST",
              `/api/v1/status-pages/${created.body.id}/reports`,
              {
                token: a.token,
                body: {
                  title: "Slow checkout",
                  status: "investigating",
                  message: "We are looking into slow payments.",
                  component_ids: [created.body.components[0].id],
                },
              },
            );
            assert.equal(report.status, 201, report.text);
            assert.equal(report.body.updates.length, 1);
            assert.equal(report.body.resolved_at, null);
            const bad = await api(base, "POST", `/api/v1/status-pages/${created.body.id}/reports`, {
              token: a.token,
              body: { title: "x", status: "panicking", message: "x" },
            });
            assert.equal(bad.status, 400);
            assert.equal(bad.body.error.details[0].path, "status");
            const foreign = await api(
              base,
              "POST",
              `/api/v1/status-pages/${created.body.id}/reports`,
              {
                token: a.token,
                body: {
                  title: "x",
                  status: "identified",
                  message: "x",
                  component_ids: [crypto.randomUUID()],
                },
              },
            );
            assert.equal(foreign.status, 400);
            assert.equal(foreign.body.error.details[0].path, "component_ids.0");
            for (const status of ["identified", "monitoring", "resolved"]) {
              const up = await api(
                base,
                "POST",
                `/api/v1/status-reports/${report.body.id}/updates`,
                {
                  token: a.token,
                  body: { status, message: `Now ${status}.` },
                },
              );
              assert.equal(up.status, 201, up.text);
            }
            const list = await api(base, "GET", `/api/v1/status-pages/${created.body.id}/reports`, {
              token: a.token,
            });
            const [r] = list.body.reports;
            assert.deepEqual(r.updates.map((u: { status: string }) => u.status), [
              "investigating",
              "identified",
              "monitoring",
              "resolved",
            ]);
            assert.ok(r.resolved_at);
            // Each stage reached the page's viewers as a status_report frame, in order.
            await viewer.waitFor(
              (f) => f.filter((x) => x.event === "status_report").length === 4,
              5000,
              "four status_report frames",
            );
            const reported = viewer.events().filter((f) => f.event === "status_report");
            assert.deepEqual(
              reported.map((f) => JSON.parse(f.data!).status),
              ["investigating", "identified", "monitoring", "resolved"],
            );
            const last = JSON.parse(reported[3].data!);
            assert.equal(last.id, report.body.id);
            assert.equal(last.updates.length, 4);
            assert.deepEqual(last.component_ids, [created.body.components[0].id]);
            assert.ok(
              reported.every((f, i) => i === 0 || Number(f.id) > Number(reported[i - 1].id)),
              "ids rise",
            );
            // A viewer coming back with an id in between gets the later stages replayed.
            const back = await openStream(`${base}/api/v1/public/status/acme/events`, {
              headers: { "last-event-id": reported[1].id! },
            });
            await back.waitFor(
              (f) => f.filter((x) => x.event === "status_report").length === 2,
              5000,
              "two replayed status_report frames",
            );
            assert.deepEqual(
              back.events().filter((f) => f.event === "status_report").map((f) => f.id),
              [reported[2].id, reported[3].id],
            );
            await back.close();
            // The tenant's own stream does not carry reports, and goes on past their ids.
            await storeResults(db, [{
              monitorId: web.id,
              success: true,
              statusCode: 200,
              responseTimeMs: 50,
              errorMessage: null,
              sslValid: null,
              sslExpiresAt: null,
              checkedAt: new Date().toISOString(),
              durationMs: 50,
            }]);
            await dashboard.waitFor(
              (f) =>
                f.some((x) => x.event === "monitor_check" && Number(x.id) > Number(reported[3].id)),
              5000,
              "a check after the reports on the tenant stream",
            );
            assert.ok(!dashboard.events().some((f) => f.event === "status_report"));
            await dashboard.close();
            await viewer.close();
            const pub = await (await fetch(`${base}/api/v1/public/status/acme`)).json();
            assert.equal(pub.reports[0].title, "Slow checkout");
            assert.equal(pub.reports[0].status, "resolved");
            const html = await (await fetch(`${base}/status/acme`)).text();
            assert.match(html, /Slow checkout/);
            assert.match(html, /Now resolved\./);
            const b = await registerTenant(base, "intruder");
            const theirs = await api(
              base,
              "POST",
              `/api/v1/status-reports/${report.body.id}/updates`,
              {
                token: b.token,
                body: { status: "investigating", message: "x" },
              },
            );
            assert.equal(theirs.status, 404);
            const del = await api(base, "DELETE", `/api/v1/status-reports/${report.body.id}`, {
              token: a.token,
            });
            assert.equal(del.status, 204);
          },
        );

        await t.step("an unpublished or deleted page is 404", async () => {
          await api(base, "PATCH", `/api/v1/status-pages/${created.body.id}`, {
            token: a.token,
            body: { published: false },
          });
          const json = await fetch(`${base}/api/v1/public/status/acme`);
          assert.equal(json.status, 404);
          await json.body?.cancel();
          const html = await fetch(`${base}/status/acme`);
          assert.equal(html.status, 404);
          await html.body?.cancel();
          const del = await api(base, "DELETE", `/api/v1/status-pages/${created.body.id}`, {
            token: a.token,
          });
          assert.equal(del.status, 204);
          const list = await api(base, "GET", "/api/v1/status-pages", { token: a.token });
          assert.deepEqual(list.body.status_pages, []);
        });
      } finally {
        await server.stop();
      }
    },
  });

  Deno.test({
    name: `status pages (${backend.name}): the public surface never leaks (property)`,
    ...integration,
    async fn() {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      const db = server.deps.db;
      try {
        let n = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                onPage: fc.boolean(),
                success: fc.boolean(),
                label: fc.string({ minLength: 1, maxLength: 20 }).filter((s) =>
                  s.trim().length > 0
                ),
              }),
              { minLength: 1, maxLength: 5 },
            ),
            fc.boolean(),
            fc.boolean(),
            async (monitors, published, showTimes) => {
              n++;
              const a = await registerTenant(base, `leak${n}`);
              const made: {
                id: string;
                url: string;
                secretName: string;
                onPage: boolean;
                error: string;
              }[] = [];
              for (const [i, m] of monitors.entries()) {
                const secretName = `SECRETNAME${n}X${i}`;
                const url = `https://secret-host-${n}-${i}.example/path`;
                const res = await api(base, "POST", "/api/v1/monitors", {
                  token: a.token,
                  body: { name: secretName, url, interval_seconds: 3600 },
                });
                const error = `SECRETERROR${n}X${i}`;
                await storeResults(db, [{
                  monitorId: res.body.id,
                  success: m.success,
                  statusCode: m.success ? 200 : 500,
                  responseTimeMs: 77,
                  errorMessage: m.success ? null : error,
                  sslValid: null,
                  sslExpiresAt: null,
                  checkedAt: new Date().toISOString(),
                  durationMs: 77,
                }]);
                made.push({ id: res.body.id, url, secretName, onPage: m.onPage, error });
              }
              const slug = `leak-page-${n}`;
              const page = await api(base, "POST", "/api/v1/status-pages", {
                token: a.token,
                body: {
                  slug,
                  title: `Public ${n}`,
                  published,
                  show_response_times: showTimes,
                  components: made.filter((m) => m.onPage).map((m, i) => ({
                    monitor_id: m.id,
                    name: `Shown ${i}`,
                  })),
                },
              });
              assert.equal(page.status, 201, page.text);
              const json = await fetch(`${base}/api/v1/public/status/${slug}`);
              const html = await fetch(`${base}/status/${slug}`);
              const texts = [await json.text(), await html.text()];
              if (!published) {
                assert.equal(json.status, 404);
                assert.equal(html.status, 404);
                return;
              }
              for (const text of texts) {
                for (const m of made) {
                  for (const secret of [m.id, m.url, m.secretName, m.error]) {
                    assert.ok(!text.includes(secret), `public answer shows ${secret}`);
                  }
                }
                assert.ok(!text.includes(a.email), "public answer shows the tenant's email");
                assert.ok(!text.includes(`leak${n} `), "public answer shows the tenant's name");
              }
              assert.equal(
                texts[0].includes("response_time_ms"),
                showTimes && made.some((m) => m.onPage),
              );
            },
          ),
          { numRuns: 25 },
        );
      } finally {
        await server.stop();
      }
    },
  });
}
