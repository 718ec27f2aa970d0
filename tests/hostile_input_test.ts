/**
 * Property-based hostile input: random and malformed methods, paths, ids,
 * queries, headers and bodies against every endpoint. No answer may be a 5xx
 * or leave API.md's error shape, and a rejected request may change nothing.
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import type { Database } from "../core/db/database.ts";
import { api, BACKENDS, registerTenant, startTestServer } from "./_helpers.ts";

const integration = { sanitizeOps: false, sanitizeResources: false };

/** Cases per backend; the closing note reports the total. */
const RUNS = Number(Deno.env.get("HOSTILE_RUNS") ?? 3000);

/** A fingerprint of every row a request could change. */
async function fingerprint(db: Database): Promise<string> {
  const [row] = await db.query<{ f: string }>(
    `SELECT md5(concat_ws('|',
       (SELECT string_agg(t::text, ',' ORDER BY t.id) FROM tenants t),
       (SELECT string_agg(u.id || u.email || u.password_hash, ',' ORDER BY u.id) FROM users u),
       (SELECT string_agg(m::text, ',' ORDER BY m.id) FROM (SELECT id, name, url, method, interval_seconds,
          timeout_ms, expected_status, keyword, ignore_tls_errors, enabled, updated_at FROM monitors) m),
       (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM alert_rules r),
       (SELECT string_agg(i::text, ',' ORDER BY i.id) FROM incidents i),
       (SELECT count(*)::text FROM stream_tickets),
       (SELECT string_agg(c::text, ',' ORDER BY c.id) FROM notification_channels c),
       (SELECT string_agg(d.id || d.status, ',' ORDER BY d.id) FROM deliveries d),
       (SELECT count(*)::text FROM checks),
       (SELECT string_agg(p::text, ',' ORDER BY p.id) FROM status_pages p),
       (SELECT string_agg(w::text, ',' ORDER BY w.id) FROM maintenance_windows w),
       (SELECT string_agg(r::text, ',' ORDER BY r.id) FROM status_reports r),
       (SELECT string_agg(coalesce(badge_token, '-'), ',' ORDER BY id) FROM monitors)
     )) AS f`,
  );
  return row.f;
}

/** Text that is not Unicode text: NUL characters and lone surrogates (API.md: 400). */
const notText = fc.oneof(
  fc.string().map((s) => `${s}\u0000${s}`),
  fc.string().map((s) => `${s}\ud800`),
  fc.string().map((s) => `\udc00${s}`),
  fc.constantFrom("\u0000", "\ud83d", "a\udfffb", "\ud800\ud800"),
);

const weird = fc.oneof(
  fc.string(),
  notText,
  fc.constantFrom(
    "",
    " ",
    "null",
    "undefined",
    "-1",
    "0",
    "1e309",
    "NaN",
    "../../etc/passwd",
    "%00",
    "%2e%2e%2f",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "😀",
    "\u0000",
    "a".repeat(5000),
    "00000000-0000-0000-0000-000000000000",
    "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
  ),
);

const methods = fc.constantFrom("GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "HEAD");

const bodies = fc.oneof(
  fc.constant(undefined),
  fc.json(),
  fc.string(),
  fc.constantFrom(
    "{",
    "[",
    '{"name":',
    "null",
    "true",
    '"x"',
    "{}",
    "[]",
    "\u0000",
    "{".repeat(1000),
  ),
  fc.record({
    name: fc.oneof(weird, fc.integer(), fc.constant(null)),
    url: fc.oneof(
      weird,
      fc.webUrl(),
      fc.constantFrom("http://127.0.0.1/", "http://[::1]/", "ftp://x", "http://169.254.169.254/"),
    ),
    interval_seconds: fc.oneof(fc.integer(), fc.double(), weird),
    expected_status: weird,
    condition: fc.oneof(fc.json(), fc.record({ type: weird, count: fc.integer() })),
    type: fc.oneof(
      weird,
      fc.constantFrom(
        "webhook",
        "slack",
        "email",
        "ntfy",
        "telegram",
        "http",
        "tcp",
        "dns",
        "push",
      ),
    ),
    config: fc.oneof(fc.json(), fc.record({ url: weird, topic: weird, to: fc.array(weird) })),
    channel_ids: fc.oneof(fc.array(fc.uuid()), weird),
    reminder_minutes: fc.oneof(fc.integer(), weird, fc.constant(null)),
    host: weird,
    port: fc.oneof(fc.integer(), weird),
    hostname: weird,
    record_type: fc.oneof(weird, fc.constantFrom("A", "MX", "SRV")),
    resolver: weird,
    headers: fc.oneof(fc.dictionary(weird, weird), weird),
    json_assertion: fc.oneof(fc.json(), fc.record({ path: weird, op: weird, value: weird })),
    slug: fc.oneof(weird, fc.constantFrom("hostile", "a-b-c")),
    starts_at: fc.oneof(
      weird,
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
    ),
    ends_at: fc.oneof(
      weird,
      fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())),
    ),
    recurrence: fc.oneof(fc.json(), fc.record({ freq: weird, weekdays: fc.array(fc.integer()) })),
    monitor_ids: fc.oneof(fc.array(fc.uuid()), weird),
    status: fc.oneof(weird, fc.constantFrom("investigating", "resolved")),
    message: weird,
    component_ids: fc.oneof(fc.array(fc.uuid()), weird),
    title: weird,
    custom_domain: fc.oneof(weird, fc.constant(null)),
    components: fc.oneof(fc.array(fc.record({ monitor_id: fc.oneof(fc.uuid(), weird) })), weird),
    email: weird,
    password: weird,
    tenant_name: weird,
  }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
);

/** A URL path segment of any string: lone surrogates cannot be percent-encoded, so they become U+FFFD. */
function encodePath(s: string): string {
  return encodeURIComponent(s.toWellFormed());
}

/** Header values must be byte strings: keep the printable ASCII of a weird string. */
const headerValue = weird.map((s) => s.replace(/[^\x20-\x7e]/g, "").slice(0, 1000));

const headers = fc.record({
  "content-type": fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    "text/plain",
    "text/plain;charset=UTF-8",
    "text/html",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin1",
    "application/yaml",
    "application/octet-stream",
    "",
  ),
  "x-request-id": fc.oneof(headerValue, fc.constant("ok-id")),
  "last-event-id": headerValue,
  origin: fc.constantFrom("https://evil.example", "null", "http://127.0.0.1"),
}, { requiredKeys: [] });

for (const backend of BACKENDS) {
  Deno.test({
    name:
      `hostile input (${backend.name}): no 5xx, always the error shape, rejected requests change nothing`,
    ...integration,
    async fn() {
      // Nothing is checked or sent: random URLs must not reach the network.
      const server = await startTestServer(backend, { ALLOW_PRIVATE_TARGETS: "false" }, {
        checks: false,
        dispatcher: { enabled: false },
      });
      const base = server.url;
      const db = server.deps.db;
      try {
        const a = await registerTenant(base, "A");
        const b = await registerTenant(base, "B");
        const mA = (await api(base, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { name: "a", url: "https://example.invalid/" },
        })).body.id as string;
        const rA = (await api(base, "POST", "/api/v1/alert-rules", {
          token: a.token,
          body: { name: "r", condition: { type: "consecutive_failures", count: 2 } },
        })).body.id as string;
        const cA = (await api(base, "POST", "/api/v1/notification-channels", {
          token: a.token,
          body: { name: "c", type: "webhook", config: { url: "https://example.invalid/hook" } },
        })).body.id as string;
        const pushToken = (await api(base, "POST", "/api/v1/monitors", {
          token: a.token,
          body: { type: "push", name: "p" },
        })).body.push_token as string;
        const ids = fc.oneof(
          fc.constant(mA),
          fc.constant(rA),
          fc.constant(cA),
          fc.uuid(),
          weird.map(encodePath),
        );
        const paths = fc.oneof(
          fc.constantFrom(
            "/api/v1/auth/register",
            "/api/v1/auth/login",
            "/api/v1/auth/logout",
            "/api/v1/me",
            "/api/v1/monitors",
            "/api/v1/alert-rules",
            "/api/v1/incidents",
            "/api/v1/stream/tickets",
            "/api/v1/notification-channels",
            "/api/v1/status-pages",
            "/api/v1/maintenance-windows",
            "/maintenance",
            "/api/v1/public/status/hostile",
            "/status/hostile",
            "/status-pages",
            "/api/v1/stream/events",
            "/healthz",
            "/readyz",
            "/metrics",
            "/api/v1",
            "/api/v2/monitors",
            // The pages, HEAD and form posts included.
            "/",
            "/login",
            "/login?next=%2F%09%2Fevil.example",
            "/register",
            "/logout",
            "/dashboard",
            "/domains",
            "/incidents",
            "/alert-rules",
            "/notifications",
            "/static/app.css",
          ),
          ids.map((id) => `/monitors/${id}`),
          ids.map((id) => `/api/v1/monitors/${id}`),
          ids.map((id) => `/api/v1/monitors/${id}/check`),
          ids.map((id) => `/api/v1/monitors/${id}/checks`),
          ids.map((id) => `/api/v1/monitors/${id}/stats`),
          ids.map((id) => `/api/v1/alert-rules/${id}`),
          ids.map((id) => `/api/v1/notification-channels/${id}`),
          ids.map((id) => `/api/v1/notification-channels/${id}/test`),
          ids.map((id) => `/api/v1/notification-channels/${id}/rotate-secret`),
          ids.map((id) => `/api/v1/notification-channels/${id}/deliveries`),
          ids.map((id) => `/api/v1/deliveries/${id}/retry`),
          ids.map((id) => `/api/v1/status-pages/${id}`),
          ids.map((id) => `/api/v1/maintenance-windows/${id}`),
          ids.map((id) => `/api/v1/status-pages/${id}/reports`),
          ids.map((id) => `/api/v1/status-reports/${id}`),
          ids.map((id) => `/api/v1/status-reports/${id}/updates`),
          weird.map((w) => `/api/v1/public/status/${encodePath(w)}/events`),
          ids.map((id) => `/api/v1/monitors/${id}/badge`),
          weird.map((w) => `/badge/${encodePath(w)}/status.svg`),
          weird.map((w) => `/api/v1/public/status/${encodePath(w)}`),
          weird.map((w) => `/status/${encodePath(w)}`),
          weird.map((w) => `/api/v1/push/${encodePath(w)}`),
          fc.constantFrom(
            `/api/v1/push/${pushToken}`,
            `/api/v1/push/${pushToken}/start`,
            `/api/v1/push/${pushToken}/fail?msg=%00x`,
          ),
          weird.map((w) => `/api/v1/${encodePath(w)}`),
        );
        const queries = fc.oneof(
          fc.constant(""),
          fc.dictionary(
            fc.constantFrom("limit", "before", "window", "status", "monitor_id", "x", "limit"),
            weird,
          ).map((d) => "?" + new URLSearchParams(d).toString()),
          fc.constantFrom("?limit=1&limit=2", "?window=24h&window=7d", "?status=open%00", "?%zz=1"),
        );
        const auth = fc.constantFrom("a", "b", "none", "garbage");
        let tried = 0;
        await fc.assert(
          fc.asyncProperty(
            methods,
            paths,
            queries,
            bodies,
            headers,
            auth,
            async (method, path, query, body, hdrs, who) => {
              tried++;
              // A GET of the event stream would never end; its HEAD is what is under test.
              if (path.endsWith("/events") && method === "GET") method = "HEAD";
              const h: Record<string, string> = { ...hdrs } as Record<string, string>;
              if (h["content-type"] === "") delete h["content-type"];
              if (who === "a") h.authorization = `Bearer ${a.token}`;
              if (who === "b") h.authorization = `Bearer ${b.token}`;
              if (who === "garbage") h.authorization = "Bearer x.y.z";
              const hasBody = body !== undefined && !["GET", "HEAD"].includes(method);
              const before = await fingerprint(db);
              const res = await fetch(base + path + query, {
                method,
                headers: h,
                body: hasBody ? body : undefined,
                redirect: "manual",
              });
              const text = method === "HEAD" ? "" : await res.text();
              assert.ok(
                res.status < 500,
                `${method} ${path}${query} answered ${res.status}: ${text.slice(0, 200)}`,
              );
              const isApi = /^\/(api|healthz|readyz|metrics)/.test(path);
              if (res.status >= 400 && method !== "HEAD") {
                if (isApi) {
                  const parsed = JSON.parse(text);
                  assert.equal(typeof parsed.error.code, "string");
                  assert.equal(typeof parsed.error.message, "string");
                } else {
                  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
                }
                assert.doesNotMatch(text, /\.ts:\d+|at [A-Za-z]+ \(/, "no stack trace");
                assert.equal(
                  await fingerprint(db),
                  before,
                  `${method} ${path}${query} was rejected but changed data`,
                );
              }
            },
          ),
          { numRuns: RUNS },
        );
        assert.equal(tried, RUNS);
        assert.equal(server.deps.hub.connections, 0, "no HEAD left a stream open");
        console.log(`hostile input (${backend.name}): ${tried} cases`);
      } finally {
        await server.stop();
      }
    },
  });
}
