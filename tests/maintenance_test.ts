/**
 * Maintenance windows end to end: incidents still open inside a window, but
 * nobody is notified; checks inside it leave uptime alone; monitors and
 * status pages say they are in maintenance. A control monitor outside the
 * window is notified and counted, as the positive witness.
 */
import assert from "node:assert/strict";
import { storeResults } from "../core/checks/store_results.ts";
import type { CheckOutcome } from "../core/checks/worker_protocol.ts";
import { api, BACKENDS, eventually, registerTenant, startTestServer } from "./_helpers.ts";
import { startReceiver } from "./_receivers.ts";
import { openStream, type TestStream } from "./_sse.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

function failing(monitorId: string): CheckOutcome {
  return {
    monitorId,
    success: false,
    statusCode: 500,
    responseTimeMs: 10,
    errorMessage: "Unexpected status 500 (expected 200-399)",
    sslValid: null,
    sslExpiresAt: null,
    checkedAt: new Date().toISOString(),
    durationMs: 10,
  };
}

for (const backend of BACKENDS) {
  Deno.test({
    name: `maintenance (${backend.name}): muted, out of uptime, shown, and the control is not`,
    ...integration,
    async fn(t) {
      const receiver = startReceiver();
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { pollMs: 100 },
      });
      const base = server.url;
      const db = server.deps.db;
      try {
        const a = await registerTenant(base);
        const mk = async (name: string) =>
          (await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name, url: "http://127.0.0.1:9/" },
          })).body.id as string;
        const inside = await mk("upgraded");
        const control = await mk("control");
        let viewer!: TestStream;
        let insideComponent = "";
        let controlComponent = "";
        await api(base, "POST", "/api/v1/notification-channels", {
          token: a.token,
          body: {
            name: "hook",
            type: "webhook",
            config: { url: `${receiver.url}/hook` },
            is_default: true,
          },
        });
        await api(base, "POST", "/api/v1/alert-rules", {
          token: a.token,
          body: { name: "down", condition: { type: "consecutive_failures", count: 1 } },
        });
        const now = Date.now();
        const created = await api(base, "POST", "/api/v1/maintenance-windows", {
          token: a.token,
          body: {
            title: "Database upgrade",
            message: "Back by noon",
            monitor_ids: [inside],
            starts_at: new Date(now - 60_000).toISOString(),
            ends_at: new Date(now + 3_600_000).toISOString(),
          },
        });

        await t.step("a window is created, active, and its bad input refused", async () => {
          assert.equal(created.status, 201, created.text);
          assert.equal(created.body.active, true);
          assert.equal(created.body.mute_notifications, true);
          assert.equal(created.body.exclude_from_uptime, true);
          const backwards = await api(base, "POST", "/api/v1/maintenance-windows", {
            token: a.token,
            body: {
              title: "x",
              starts_at: "2026-12-01T10:00:00Z",
              ends_at: "2026-12-01T09:00:00Z",
            },
          });
          assert.equal(backwards.status, 400);
          assert.equal(backwards.body.error.details[0].path, "ends_at");
          const b = await registerTenant(base, "other");
          const foreign = await api(base, "POST", "/api/v1/maintenance-windows", {
            token: b.token,
            body: {
              title: "x",
              monitor_ids: [inside],
              starts_at: "2026-12-01T10:00:00Z",
              ends_at: "2026-12-01T11:00:00Z",
            },
          });
          assert.equal(foreign.status, 400);
          assert.equal(foreign.body.error.details[0].path, "monitor_ids.0");
        });

        await t.step("the monitor says it is in maintenance; the control does not", async () => {
          const list =
            (await api(base, "GET", "/api/v1/monitors", { token: a.token })).body.monitors;
          const flags = Object.fromEntries(
            list.map((m: { id: string; in_maintenance: boolean }) => [m.id, m.in_maintenance]),
          );
          assert.deepEqual(flags, { [inside]: true, [control]: false });
        });

        await t.step("incidents open for both; only the control is notified", async () => {
          await storeResults(db, [failing(inside), failing(control)]);
          server.dispatcher!.wake();
          await eventually(() => receiver.on("/hook").length >= 1, 5000, "the control's webhook");
          const open = await api(base, "GET", "/api/v1/incidents?status=open", { token: a.token });
          assert.equal(open.body.incidents.length, 2, "incidents still open inside the window");
          // The control's notification is the witness that the dispatcher ran.
          await new Promise((r) => setTimeout(r, 300));
          const notified = receiver.on("/hook").map((r) => JSON.parse(r.body).data.monitor.id);
          assert.deepEqual(notified, [control]);
        });

        await t.step("checks inside the window leave uptime alone", async () => {
          const stats = async (id: string) =>
            (await api(base, "GET", `/api/v1/monitors/${id}/stats?window=24h`, { token: a.token }))
              .body;
          assert.equal((await stats(control)).checks, 1);
          assert.equal((await stats(inside)).checks, 0);
          assert.equal((await stats(inside)).uptime_percent, null);
          const raw = await api(base, "GET", `/api/v1/monitors/${inside}/checks`, {
            token: a.token,
          });
          assert.equal(raw.body.checks.length, 1, "the check itself is kept");
        });

        await t.step(
          "a status page shows the component in maintenance and the window",
          async () => {
            const page = await api(base, "POST", "/api/v1/status-pages", {
              token: a.token,
              body: {
                slug: `mw-${backend.name}`,
                title: "Status",
                components: [{ monitor_id: inside }, { monitor_id: control }],
              },
            });
            [insideComponent, controlComponent] = page.body.components.map((
              c: { id: string },
            ) => c.id);
            const body = await (await fetch(`${base}/api/v1/public/status/mw-${backend.name}`))
              .json();
            assert.equal(body.components[0].status, "maintenance");
            assert.equal(body.components[1].status, "down");
            assert.equal(body.status, "degraded");
            assert.equal(body.maintenance.length, 1);
            assert.equal(body.maintenance[0].title, "Database upgrade");
            assert.equal(body.maintenance[0].message, "Back by noon");
            // Live: a failed check inside the window is no change (still maintenance), the
            // control's recovery is one.
            viewer = await openStream(`${base}/api/v1/public/status/mw-${backend.name}/events`);
            await storeResults(db, [failing(inside)]);
            await storeResults(db, [{
              ...failing(control),
              success: true,
              statusCode: 200,
              errorMessage: null,
            }]);
            await viewer.waitFor(
              (f) => f.some((x) => x.data?.includes(controlComponent)),
              5000,
              "the control's frame",
            );
            const frames = viewer.events().filter((f) => f.event === "component_status")
              .map((f) => JSON.parse(f.data!));
            assert.deepEqual(frames, [{
              component_id: controlComponent,
              status: "up",
              checked_at: frames[0].checked_at,
            }]);
          },
        );

        await t.step("a window that ended mutes nothing", async () => {
          await api(base, "PATCH", `/api/v1/maintenance-windows/${created.body.id}`, {
            token: a.token,
            body: { ends_at: new Date(Date.now() - 1000).toISOString() },
          });
          await eventually(
            async () =>
              (await (await fetch(`${base}/api/v1/public/status/mw-${backend.name}`)).json())
                .components[0].status === "down",
            5000,
            "the page out of maintenance",
          );
          const before = receiver.on("/hook").length;
          await storeResults(db, [{
            ...failing(inside),
            success: true,
            statusCode: 200,
            errorMessage: null,
          }]);
          server.dispatcher!.wake();
          await eventually(() => receiver.on("/hook").length > before, 5000, "the resolve webhook");
          assert.equal(JSON.parse(receiver.on("/hook").at(-1)!.body).data.monitor.id, inside);
          // The page's viewer stayed connected and its view was renewed: the recovery is a change.
          await viewer.waitFor(
            (f) =>
              f.some((x) =>
                x.event === "component_status" && x.data!.includes(insideComponent) &&
                JSON.parse(x.data!).status === "up"
              ),
            5000,
            "the component's recovery after the window",
          );
          await viewer.close();
          const del = await api(base, "DELETE", `/api/v1/maintenance-windows/${created.body.id}`, {
            token: a.token,
          });
          assert.equal(del.status, 204);
        });

        await t.step(
          "a window's start and end, and edits, reach the page's viewers with no check meanwhile",
          async () => {
            const live = await openStream(
              `${base}/api/v1/public/status/mw-${backend.name}/events`,
            );
            const seen = () =>
              live.events().filter((f) =>
                f.event === "component_status" && f.data!.includes(controlComponent)
              ).map((f) => ({ id: f.id, status: JSON.parse(f.data!).status }));
            const start = Date.now() + 1500;
            const short = await api(base, "POST", "/api/v1/maintenance-windows", {
              token: a.token,
              body: {
                title: "Short",
                monitor_ids: [control],
                starts_at: new Date(start).toISOString(),
                ends_at: new Date(start + 1500).toISOString(),
              },
            });
            assert.equal(short.status, 201, short.text);
            await live.waitFor(() => seen().length >= 2, 10_000, "the window's start and end");
            assert.deepEqual(seen(), [
              { id: undefined, status: "maintenance" },
              { id: undefined, status: "up" },
            ], "no event made them: they carry no id");
            // An edit that puts the component in maintenance now, and the window's removal.
            const now = Date.now();
            const edited = await api(
              base,
              "PATCH",
              `/api/v1/maintenance-windows/${short.body.id}`,
              {
                token: a.token,
                body: {
                  starts_at: new Date(now - 1000).toISOString(),
                  ends_at: new Date(now + 3_600_000).toISOString(),
                },
              },
            );
            assert.equal(edited.status, 200, edited.text);
            await live.waitFor(() => seen().length >= 3, 5000, "the edit");
            assert.equal(seen()[2].status, "maintenance");
            const del = await api(base, "DELETE", `/api/v1/maintenance-windows/${short.body.id}`, {
              token: a.token,
            });
            assert.equal(del.status, 204);
            await live.waitFor(() => seen().length >= 4, 5000, "the removal");
            assert.equal(seen()[3].status, "up");
            await live.close();
          },
        );
      } finally {
        await server.stop();
        await receiver.close();
      }
    },
  });
}
