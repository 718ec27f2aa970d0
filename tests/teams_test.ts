/**
 * Teams: invitations (new and existing accounts, single use, expiry), roles
 * enforced on every write, the last owner kept, removal ending the member's
 * tokens at once, several tenants per user and switching between them.
 */
import assert from "node:assert/strict";
import { EmailTakenError } from "../core/auth/accounts.ts";
import { acceptInvitation, findOpenInvitation } from "../core/auth/invitations.ts";
import { api, BACKENDS, eventually, registerTenant, startTestServer } from "./_helpers.ts";
import { startMailReceiver } from "./_receivers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const MONITOR = { name: "Team site", url: "http://127.0.0.1:9/", interval_seconds: 3600 };

for (const backend of BACKENDS) {
  Deno.test({
    name: `teams (${backend.name}): invitations, roles, the last owner, removal, switching`,
    ...integration,
    async fn(t) {
      const server = await startTestServer(backend, {}, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      const invite = async (token: string, email: string, role: string) =>
        await api(base, "POST", "/api/v1/invitations", { token, body: { email, role } });
      const accept = async (token: string, password: string) =>
        await api(base, "POST", "/api/v1/auth/accept-invitation", { body: { token, password } });
      try {
        const owner = await registerTenant(base, "acme");
        const bobEmail = `bob-${crypto.randomUUID().slice(0, 8)}@example.test`;
        let bob = "";
        let bobId = "";

        await t.step("a new account joins through an invitation, once", async () => {
          const inv = await invite(owner.token, bobEmail, "editor");
          assert.equal(inv.status, 201, inv.text);
          assert.match(inv.body.token, /^vii_[0-9a-f]{64}$/);
          assert.equal(inv.body.role, "editor");
          const list = await api(base, "GET", "/api/v1/invitations", { token: owner.token });
          assert.equal(list.body.invitations.length, 1);
          assert.ok(!list.text.includes(inv.body.token), "tokens are never listed");
          const short = await accept(inv.body.token, "short");
          assert.equal(short.status, 400);
          assert.equal(short.body.error.details[0].path, "password");
          const joined = await accept(inv.body.token, "bob's long password");
          assert.equal(joined.status, 200, joined.text);
          assert.equal(joined.body.tenant.id, owner.tenantId);
          assert.equal(joined.body.user.role, "editor");
          bob = joined.body.token;
          bobId = joined.body.user.id;
          assert.equal((await accept(inv.body.token, "bob's long password")).status, 404);
          const none = await api(base, "GET", "/api/v1/invitations", { token: owner.token });
          assert.deepEqual(none.body.invitations, []);
          const me = await api(base, "GET", "/api/v1/me", { token: bob });
          assert.equal(me.body.role, "editor");
          assert.deepEqual(me.body.tenants.map((x: { role: string }) => x.role), ["editor"]);
        });

        await t.step("an editor writes monitors but manages no one", async () => {
          const made = await api(base, "POST", "/api/v1/monitors", { token: bob, body: MONITOR });
          assert.equal(made.status, 201, made.text);
          for (
            const [method, path, body] of [
              ["GET", "/api/v1/invitations", undefined],
              ["POST", "/api/v1/invitations", { email: "x@example.test", role: "viewer" }],
              ["PATCH", `/api/v1/members/${owner.userId}`, { role: "viewer" }],
              ["GET", "/api/v1/audit-log", undefined],
              ["GET", "/api/v1/api-keys", undefined],
            ] as const
          ) {
            const res = await api(base, method, path, { token: bob, body });
            assert.equal(res.status, 403, `${method} ${path}`);
            assert.equal(res.body.error.code, "forbidden");
          }
          const members = await api(base, "GET", "/api/v1/members", { token: bob });
          assert.equal(members.status, 200);
          assert.deepEqual(
            members.body.members.map((m: { role: string }) => m.role).sort(),
            ["editor", "owner"],
          );
        });

        const carol = await registerTenant(base, "carol's own");
        let carolInA = "";
        await t.step("an existing account joins with its own password", async () => {
          const inv = await invite(owner.token, carol.email.toUpperCase(), "viewer");
          assert.equal(inv.status, 201, inv.text);
          const wrong = await accept(inv.body.token, "not carol's password");
          assert.equal(wrong.status, 401);
          assert.equal(wrong.body.error.code, "invalid_credentials");
          const joined = await accept(inv.body.token, carol.password);
          assert.equal(joined.status, 200, joined.text);
          assert.equal(joined.body.tenant.id, owner.tenantId);
          carolInA = joined.body.token;
          const me = await api(base, "GET", "/api/v1/me", { token: carolInA });
          assert.deepEqual(
            me.body.tenants.map((x: { id: number; role: string }) => [x.id, x.role]),
            [[carol.tenantId, "owner"], [owner.tenantId, "viewer"]],
          );
          assert.equal((await invite(owner.token, carol.email, "editor")).status, 409);
        });

        await t.step("a viewer reads and streams but writes nothing", async () => {
          const before = await api(base, "GET", "/api/v1/monitors", { token: carolInA });
          assert.equal(before.status, 200);
          assert.equal(before.body.monitors.length, 1);
          const refused = await api(base, "POST", "/api/v1/monitors", {
            token: carolInA,
            body: MONITOR,
          });
          assert.equal(refused.status, 403);
          const after = await api(base, "GET", "/api/v1/monitors", { token: owner.token });
          assert.equal(after.body.monitors.length, 1, "nothing was created");
          const ticket = await api(base, "POST", "/api/v1/stream/tickets", { token: carolInA });
          assert.equal(ticket.status, 201);
        });

        await t.step("switching tenants: only to one the user belongs to", async () => {
          const own = await api(base, "POST", "/api/v1/auth/switch-tenant", {
            token: carolInA,
            body: { tenant_id: carol.tenantId },
          });
          assert.equal(own.status, 200, own.text);
          assert.equal(own.body.tenant.id, carol.tenantId);
          assert.equal(own.body.user.role, "owner");
          const foreign = await api(base, "POST", "/api/v1/auth/switch-tenant", {
            token: carolInA,
            body: { tenant_id: 2147483000 },
          });
          assert.equal(foreign.status, 404);
          const bad = await api(base, "POST", "/api/v1/auth/switch-tenant", {
            token: carolInA,
            body: { tenant_id: "one" },
          });
          assert.equal(bad.status, 400);
        });

        await t.step("admins manage members but cannot touch an owner", async () => {
          const promoted = await api(base, "PATCH", `/api/v1/members/${bobId}`, {
            token: owner.token,
            body: { role: "admin" },
          });
          assert.equal(promoted.status, 200, promoted.text);
          assert.equal(promoted.body.role, "admin");
          const demote = await api(base, "PATCH", `/api/v1/members/${owner.userId}`, {
            token: bob,
            body: { role: "viewer" },
          });
          assert.equal(demote.status, 403);
          const crown = await api(base, "PATCH", `/api/v1/members/${bobId}`, {
            token: bob,
            body: { role: "owner" },
          });
          assert.equal(crown.status, 403);
          assert.equal((await invite(bob, "ann@example.test", "owner")).status, 403);
          assert.equal((await invite(bob, "ann@example.test", "editor")).status, 201);
          const badRole = await api(base, "PATCH", `/api/v1/members/${bobId}`, {
            token: owner.token,
            body: { role: "god" },
          });
          assert.equal(badRole.status, 400);
          assert.equal(badRole.body.error.code, "validation_error");
          const noSuch = await api(base, "PATCH", "/api/v1/members/not-a-uuid", {
            token: owner.token,
            body: { role: "viewer" },
          });
          assert.equal(noSuch.status, 404);
        });

        await t.step("the last owner can be neither demoted nor removed", async () => {
          const demote = await api(base, "PATCH", `/api/v1/members/${owner.userId}`, {
            token: owner.token,
            body: { role: "admin" },
          });
          assert.equal(demote.status, 409);
          assert.equal(demote.body.error.code, "conflict");
          const leave = await api(base, "DELETE", `/api/v1/members/${owner.userId}`, {
            token: owner.token,
          });
          assert.equal(leave.status, 409);
          const me = await api(base, "GET", "/api/v1/me", { token: owner.token });
          assert.equal(me.body.role, "owner");
        });

        await t.step("a removed member's tokens for the tenant stop at once", async () => {
          assert.equal((await api(base, "GET", "/api/v1/me", { token: carolInA })).status, 200);
          const removed = await api(base, "DELETE", `/api/v1/members/${carol.userId}`, {
            token: bob,
          });
          assert.equal(removed.status, 204);
          assert.equal((await api(base, "GET", "/api/v1/me", { token: carolInA })).status, 401);
          assert.equal((await api(base, "GET", "/api/v1/me", { token: carol.token })).status, 200);
        });

        await t.step("withdrawn and expired invitations cannot be used", async () => {
          const a = await invite(owner.token, "dan@example.test", "viewer");
          const b = await invite(owner.token, "eve@example.test", "viewer");
          const gone = await api(base, "DELETE", `/api/v1/invitations/${a.body.id}`, {
            token: owner.token,
          });
          assert.equal(gone.status, 204);
          assert.equal((await accept(a.body.token, "dan's long password")).status, 404);
          await server.deps.db.query(
            "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1",
            [b.body.id],
          );
          assert.equal((await accept(b.body.token, "eve's long password")).status, 404);
          assert.equal((await accept("vii_" + "0".repeat(64), "whatever it is")).status, 404);
        });

        await t.step(
          "an account made for the email while accepting: 409, the invitation stays open",
          async () => {
            // The race, made certain: the account appears after the route looked the email up.
            const inv = await invite(owner.token, "frank@example.test", "viewer");
            await server.deps.db.query(
              "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, $2, 'x')",
              [carol.tenantId, "frank@example.test"],
            );
            await assert.rejects(
              acceptInvitation(server.deps.db, inv.body.id, { newPasswordHash: "y" }),
              EmailTakenError,
            );
            assert.ok(await findOpenInvitation(server.deps.db, inv.body.token), "not used up");
            // Through HTTP, registrations and an acceptance racing for one email: never a 500.
            const grace = await invite(owner.token, "grace@example.test", "viewer");
            const answers = await Promise.all([
              accept(grace.body.token, "grace's long password"),
              ...[1, 2, 3].map((n) =>
                api(base, "POST", "/api/v1/auth/register", {
                  body: {
                    email: "grace@example.test",
                    password: "grace's long password",
                    tenant_name: `grace ${n}`,
                  },
                })
              ),
            ]);
            const statuses = answers.map((r) => r.status);
            assert.ok(
              statuses.every((s) => [200, 201, 401, 409].includes(s)),
              `no 500: ${statuses}`,
            );
            const [{ n }] = await server.deps.db.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM users WHERE lower(email) = 'grace@example.test'",
            );
            assert.equal(n, 1, "one account for the email");
          },
        );

        await t.step("the audit log tells who joined, changed and left", async () => {
          const log = await api(base, "GET", "/api/v1/audit-log", { token: owner.token });
          const actions = log.body.entries.map((e: { action: string }) => e.action);
          for (
            const a of [
              "invitation.created",
              "member.joined",
              "member.role_changed",
              "member.removed",
              "invitation.deleted",
            ]
          ) assert.ok(actions.includes(a), a);
          const key = await api(base, "POST", "/api/v1/api-keys", {
            token: owner.token,
            body: { name: "k", scope: "write" },
          });
          const byKey = await api(base, "GET", "/api/v1/members", { token: key.body.key });
          assert.equal(byKey.status, 403, "keys never manage members");
        });
      } finally {
        await server.stop();
      }
    },
  });
}

Deno.test({
  name: "teams: with SMTP_URL set, an invitation is also mailed with its link",
  ...integration,
  async fn() {
    const smtp = await startMailReceiver();
    const server = await startTestServer(BACKENDS[0], {
      PUBLIC_URL: "https://status.example.test",
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?tls.rejectUnauthorized=false`,
      SMTP_FROM: "V-Insight <team@example.test>",
    }, { checks: false, dispatcher: { enabled: false } });
    try {
      const owner = await registerTenant(server.url, "Mailed");
      const inv = await api(server.url, "POST", "/api/v1/invitations", {
        token: owner.token,
        body: { email: "mailed@example.test", role: "viewer" },
      });
      assert.equal(inv.status, 201, inv.text);
      await eventually(() => smtp.mails.length === 1);
      const mail = smtp.mails[0];
      assert.deepEqual(mail.to, ["mailed@example.test"]);
      assert.ok(
        mail.raw.replace(/=\r?\n/g, "").includes(
          `https://status.example.test/invitations/${inv.body.token}`,
        ),
        "the mail carries the link",
      );
    } finally {
      await server.stop();
      await smtp.close();
    }
  },
});
