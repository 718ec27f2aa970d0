/**
 * Tenant isolation as a property: many tenants doing random operations on
 * their own and each other's resources. No read, list, count, event or error
 * message may ever show another tenant's data.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { api, BACKENDS, eventually, registerTenant, startTestServer } from "./_helpers.ts";
import { openStream, type TestStream } from "./_sse.ts";
import { startTarget } from "./_targets.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const TENANTS = 6;

type Op =
  | { kind: "createMonitor"; actor: number; fail: boolean }
  | { kind: "createRule"; actor: number }
  | { kind: "read"; actor: number; owner: number; what: "monitor" | "rule" | "checks" | "stats" }
  | {
    kind: "write";
    actor: number;
    owner: number;
    what: "patchMonitor" | "deleteMonitor" | "check" | "patchRule";
  }
  | { kind: "list"; actor: number; what: "monitors" | "alert-rules" | "incidents" | "me" };

const actor = fc.integer({ min: 0, max: TENANTS - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("createMonitor" as const), actor, fail: fc.boolean() }),
  fc.record({ kind: fc.constant("createRule" as const), actor }),
  fc.record({
    kind: fc.constant("read" as const),
    actor,
    owner: actor,
    what: fc.constantFrom("monitor" as const, "rule" as const, "checks" as const, "stats" as const),
  }),
  fc.record({
    kind: fc.constant("write" as const),
    actor,
    owner: actor,
    what: fc.constantFrom(
      "patchMonitor" as const,
      "deleteMonitor" as const,
      "check" as const,
      "patchRule" as const,
    ),
  }),
  fc.record({
    kind: fc.constant("list" as const),
    actor,
    what: fc.constantFrom(
      "monitors" as const,
      "alert-rules" as const,
      "incidents" as const,
      "me" as const,
    ),
  }),
);

for (const backend of BACKENDS) {
  Deno.test({
    name: `isolation property (${backend.name}): no tenant ever sees another's data`,
    ...integration,
    async fn() {
      const target = startTarget();
      target.status = 500; // failing checks open incidents too
      const server = await startTestServer(backend);
      const base = server.url;
      type Tenant = Awaited<ReturnType<typeof registerTenant>> & {
        tag: string;
        monitors: string[];
        rules: string[];
      };
      const tenants: Tenant[] = [];
      const streams: TestStream[] = [];
      try {
        for (let i = 0; i < TENANTS; i++) {
          const t = await registerTenant(base, `iso${i}`);
          tenants.push({ ...t, tag: `TAG${i}X`, monitors: [] as string[], rules: [] as string[] });
          streams.push(
            await openStream(`${base}/api/v1/stream/events`, {
              headers: { authorization: `Bearer ${t.token}` },
            }),
          );
        }
        /** Every string that identifies tenant i's data. */
        const marks = (
          i: number,
        ) => [tenants[i].tag, tenants[i].email, ...tenants[i].monitors, ...tenants[i].rules];
        const assertOnly = (i: number, text: string, what: string) => {
          for (let j = 0; j < TENANTS; j++) {
            if (j === i) continue;
            for (const m of marks(j)) {
              assert.ok(!text.includes(m), `${what} for tenant ${i} shows ${m} of tenant ${j}`);
            }
          }
        };
        let operations = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
            for (const o of ops) {
              operations++;
              const me = tenants[o.actor];
              const ownerOf = (o as { owner?: number }).owner ?? o.actor;
              const owner = tenants[ownerOf];
              let res;
              switch (o.kind) {
                case "createMonitor":
                  res = await api(base, "POST", "/api/v1/monitors", {
                    token: me.token,
                    body: {
                      name: `${me.tag} monitor ${me.monitors.length}`,
                      url: `${target.url}/${o.fail ? "switch" : "ok"}?t=${me.tag}`,
                      interval_seconds: 10,
                    },
                  });
                  assert.equal(res.status, 201);
                  me.monitors.push(res.body.id);
                  await api(base, "POST", `/api/v1/monitors/${res.body.id}/check`, {
                    token: me.token,
                  });
                  break;
                case "createRule":
                  res = await api(base, "POST", "/api/v1/alert-rules", {
                    token: me.token,
                    body: {
                      name: `${me.tag} rule`,
                      condition: { type: "consecutive_failures", count: 1 },
                    },
                  });
                  assert.equal(res.status, 201);
                  me.rules.push(res.body.id);
                  break;
                case "read": {
                  const id = o.what === "rule" ? owner.rules.at(-1) : owner.monitors.at(-1);
                  if (!id) continue;
                  const path = {
                    monitor: `/api/v1/monitors/${id}`,
                    rule: `/api/v1/alert-rules/${id}`,
                    checks: `/api/v1/monitors/${id}/checks`,
                    stats: `/api/v1/monitors/${id}/stats`,
                  }[o.what];
                  res = await api(base, "GET", path, { token: me.token });
                  if (o.actor !== ownerOf) {
                    assert.equal(res.status, 404, `tenant ${o.actor} read ${o.what} of ${ownerOf}`);
                  }
                  break;
                }
                case "write": {
                  const id = o.what === "patchRule" ? owner.rules.at(-1) : owner.monitors.at(-1);
                  if (!id) continue;
                  const [method, path, body] = {
                    patchMonitor: ["PATCH", `/api/v1/monitors/${id}`, {
                      name: `${me.tag} renamed`,
                    }],
                    deleteMonitor: ["DELETE", `/api/v1/monitors/${id}`, undefined],
                    check: ["POST", `/api/v1/monitors/${id}/check`, undefined],
                    patchRule: ["PATCH", `/api/v1/alert-rules/${id}`, {
                      name: `${me.tag} rule renamed`,
                    }],
                  }[o.what] as [string, string, unknown];
                  res = await api(base, method, path, { token: me.token, body });
                  if (o.actor !== ownerOf) {
                    assert.equal(
                      res.status,
                      404,
                      `tenant ${o.actor} could ${o.what} of ${ownerOf}`,
                    );
                  } else if (o.what === "deleteMonitor" && res.status === 204) {
                    owner.monitors = owner.monitors.filter((m) => m !== id);
                  }
                  break;
                }
                case "list":
                  res = await api(
                    base,
                    "GET",
                    o.what === "me" ? "/api/v1/me" : `/api/v1/${o.what}`,
                    {
                      token: me.token,
                    },
                  );
                  assert.equal(res.status, 200);
                  break;
              }
              assertOnly(o.actor, res.text, `${o.kind} ${"what" in o ? o.what : ""}`);
            }
          }),
          { numRuns: 25 },
        );
        // Let the queued checks land: nothing in flight or waiting to be stored, and every
        // tenant's stream has caught up with the tenant's last event id.
        await eventually(
          async () => {
            if (server.checks!.inFlight > 0 || server.checks!.backlog > 0) return false;
            const rows = await server.deps.db.query<{ id: number; seq: number }>(
              "SELECT id, event_seq AS seq FROM tenants WHERE id = ANY($1::int[])",
              [tenants.map((t) => t.tenantId)],
            );
            return tenants.every((t, i) => {
              const seq = Number(rows.find((r) => r.id === t.tenantId)?.seq ?? 0);
              const last = Number(streams[i].events().at(-1)?.id ?? 0);
              return last >= seq;
            });
          },
          20_000,
          "every tenant's stream to catch up with its events",
        );
        // Then look at every frame each tenant received.
        let frames = 0;
        for (let i = 0; i < TENANTS; i++) {
          for (const f of streams[i].events()) {
            frames++;
            assertOnly(i, f.data ?? "", "event");
            assert.equal(JSON.parse(f.data!).tenant_id, tenants[i].tenantId);
          }
        }
        assert.ok(frames > 0, "events flowed");
        console.log(
          `isolation (${backend.name}): ${operations} operations, ${frames} event frames checked`,
        );
      } finally {
        for (const s of streams) await s.close();
        await server.stop();
        await target.close();
      }
    },
  });
}
