import assert from "node:assert/strict";
import { SignJWT } from "jose";
import { RateLimiter } from "../core/rate_limiter.ts";
import { api, pgliteBackend, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };
const SECRET = "test-secret-test-secret-test-secret-42"; // the test servers' JWT_SECRET

async function token(
  claims: Record<string, unknown>,
  opts: { secret?: string; alg?: string; exp?: number },
) {
  return await new SignJWT(claims)
    .setProtectedHeader({ alg: opts.alg ?? "HS256" })
    .setIssuer("v-insight")
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

Deno.test({
  name: "security: tokens, cookies, rate limits, headers and SSRF",
  ...integration,
  async fn(t) {
    const server = await startTestServer(pgliteBackend, {
      ALLOW_PRIVATE_TARGETS: "false",
      TRUST_PROXY: "true",
    }, {
      checks: false,
      limiters: {
        registerByAddress: new RateLimiter({ limit: 3, windowMs: 60_000 }),
        streamsByAddress: new RateLimiter({ limit: 3, windowMs: 60_000 }),
      },
    });
    const base = server.url;
    try {
      const a = await registerTenant(base, "A");

      await t.step("a token signed by us is accepted (control)", async () => {
        const good = await token({ sub: a.userId, tid: a.tenantId }, {});
        assert.equal((await api(base, "GET", "/api/v1/me", { token: good })).status, 200);
      });

      await t.step(
        "expired, other-key, other-algorithm and claim-swapped tokens are refused",
        async () => {
          const bad = [
            await token({ sub: a.userId, tid: a.tenantId }, {
              exp: Math.floor(Date.now() / 1000) - 10,
            }),
            await token({ sub: a.userId, tid: a.tenantId }, {
              secret: "another-secret-another-secret-12345",
            }),
            await token({ sub: a.userId, tid: a.tenantId }, { alg: "HS512" }),
            await token({ sub: a.userId, tid: String(a.tenantId) }, {}),
            await token({ sub: a.userId, tid: a.tenantId + 1000 }, {}),
          ];
          for (const b of bad) {
            const res = await api(base, "GET", "/api/v1/me", { token: b });
            assert.equal(res.status, 401, b);
            assert.equal(res.body.error.code, "unauthorized");
          }
        },
      );

      await t.step("the cookie is Secure behind an https proxy, and only then", async () => {
        const plain = await api(base, "POST", "/api/v1/auth/login", {
          body: { email: a.email, password: a.password },
          headers: { "x-forwarded-for": "198.51.100.1" },
        });
        assert.doesNotMatch(plain.headers.get("set-cookie")!, /;\s*Secure/i);
        const https = await api(base, "POST", "/api/v1/auth/login", {
          body: { email: a.email, password: a.password },
          headers: { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.1" },
        });
        const cookie = https.headers.get("set-cookie")!;
        assert.match(cookie, /;\s*Secure/i);
        assert.match(cookie, /HttpOnly/i);
        assert.match(cookie, /SameSite=Lax/i);
      });

      await t.step(
        "50 failed logins from one address are answered 429; another address is not",
        async () => {
          for (let i = 0; i < 50; i++) {
            const res = await api(base, "POST", "/api/v1/auth/login", {
              body: { email: `nobody${i}@example.test`, password: "wrong password" },
              headers: { "x-forwarded-for": "203.0.113.7" },
            });
            assert.equal(res.status, 401);
          }
          const limited = await api(base, "POST", "/api/v1/auth/login", {
            body: { email: a.email, password: a.password },
            headers: { "x-forwarded-for": "203.0.113.7" },
          });
          assert.equal(limited.status, 429);
          assert.equal(limited.body.error.code, "rate_limited");
          assert.ok(Number(limited.headers.get("retry-after")) > 0);
          const other = await api(base, "POST", "/api/v1/auth/login", {
            body: { email: a.email, password: a.password },
            headers: { "x-forwarded-for": "203.0.113.8" },
          });
          assert.equal(other.status, 200);
        },
      );

      await t.step("registrations are limited per address", async () => {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          const res = await api(base, "POST", "/api/v1/auth/register", {
            body: { email: `reg${i}@example.test`, password: "0123456789", tenant_name: "r" },
            headers: { "x-forwarded-for": "192.0.2.99" },
          });
          statuses.push(res.status);
        }
        assert.deepEqual(statuses, [201, 201, 201, 429]);
      });

      await t.step("new event streams are limited per address", async () => {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
          const res = await fetch(`${base}/api/v1/stream/events`, {
            headers: { authorization: `Bearer ${a.token}`, "x-forwarded-for": "192.0.2.50" },
          });
          statuses.push(res.status);
          await res.body?.cancel();
        }
        assert.deepEqual(statuses, [200, 200, 200, 429]);
      });

      await t.step(
        "pages carry a strict CSP with a nonce and the other security headers",
        async () => {
          for (const path of ["/", "/login", "/register"]) {
            const res = await fetch(base + path);
            const html = await res.text();
            const csp = res.headers.get("content-security-policy")!;
            assert.match(csp, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
            assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
            assert.match(csp, /frame-ancestors 'none'/);
            assert.match(csp, /object-src 'none'/);
            assert.equal(res.headers.get("x-content-type-options"), "nosniff");
            assert.ok(res.headers.get("referrer-policy"));
            assert.doesNotMatch(
              html,
              /<script(?![^>]*\bnonce=)(?![^>]*type="application\/json")[^>]*>[^<]+<\/script>/,
              "no inline script without nonce",
            );
          }
          const signedIn = await fetch(`${base}/domains`, { headers: { cookie: a.cookie } });
          const html = await signedIn.text();
          const nonce =
            /'nonce-([^']+)'/.exec(signedIn.headers.get("content-security-policy")!)![1];
          assert.ok(html.includes(`nonce="${nonce}"`), "the island script carries the nonce");
          const api404 = await fetch(`${base}/api/v1/nothing`);
          assert.equal(api404.headers.get("x-content-type-options"), "nosniff");
          await api404.body?.cancel();
        },
      );

      await t.step("cookie-authenticated forms refuse a foreign Origin", async () => {
        const res = await fetch(`${base}/logout`, {
          method: "POST",
          headers: { cookie: a.cookie, origin: "https://evil.example" },
          redirect: "manual",
        });
        assert.equal(res.status, 403);
        await res.body?.cancel();
        const login = await fetch(`${base}/login`, {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            origin: "https://evil.example",
          },
          body: new URLSearchParams({ email: a.email, password: a.password }),
          redirect: "manual",
        });
        assert.equal(login.status, 403, "login CSRF is refused");
        assert.equal(login.headers.get("set-cookie"), null);
        await login.body?.cancel();
      });

      await t.step("SSRF: private, reserved and disguised targets are refused", async () => {
        const targets = [
          "http://127.0.0.1/",
          "http://127.1/",
          "http://0.0.0.0/",
          "http://0/",
          "http://2130706433/",
          "http://0177.0.0.1/",
          "http://0x7f.0.0.1/",
          "http://10.1.2.3/",
          "http://172.16.5.4/",
          "http://192.168.0.1/",
          "http://100.64.1.1/",
          "http://169.254.169.254/latest/meta-data/",
          "http://[::1]/",
          "http://[::]/",
          "http://[fd00::1]/",
          "http://[fe80::1]/",
          "http://[::ffff:127.0.0.1]/",
          "http://[::ffff:169.254.169.254]/",
          "http://[fd00:ec2::254]/",
          "http://localhost/",
          "http://app.localhost/",
          "http://metadata.google.internal/",
        ];
        for (const url of targets) {
          const res = await api(base, "POST", "/api/v1/monitors", {
            token: a.token,
            body: { name: "x", url },
          });
          assert.equal(res.status, 400, `${url} → ${res.status}`);
          assert.equal(res.body.error.details[0].path, "url");
        }
        const list = await api(base, "GET", "/api/v1/monitors", { token: a.token });
        assert.deepEqual(list.body.monitors, []);
      });

      await t.step("static assets are served with cache headers", async () => {
        const page = await (await fetch(`${base}/login`)).text();
        const css = /href="(\/static\/app\.css\?v=[0-9a-f]+)"/.exec(page)![1];
        const res = await fetch(base + css);
        assert.equal(res.status, 200);
        assert.match(res.headers.get("cache-control")!, /immutable/);
        const etag = res.headers.get("etag")!;
        await res.body?.cancel();
        const again = await fetch(`${base}/static/app.css`, { headers: { "if-none-match": etag } });
        assert.equal(again.status, 304);
        await again.body?.cancel();
      });
    } finally {
      await server.stop();
    }
  },
});
