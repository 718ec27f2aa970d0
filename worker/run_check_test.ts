import assert from "node:assert/strict";
import type { HttpJob } from "../core/checks/worker_protocol.ts";
import {
  closedPort,
  expiredCertificate,
  selfSignedCertificate,
  startTarget,
  startTlsTarget,
} from "../tests/_targets.ts";
import { parseExpectedStatus } from "../core/monitors/expected_status.ts";
import { runCheck } from "./run_check.ts";

function job(
  url: string,
  extra: Partial<Omit<HttpJob, "expectedStatus">> & { expectedStatus?: string } = {},
): HttpJob {
  const { expectedStatus = "200-399", ...rest } = extra;
  return {
    kind: "http",
    monitorId: "m",
    url,
    method: "GET",
    headers: {},
    body: null,
    timeoutMs: 3000,
    expectedStatus: parseExpectedStatus(expectedStatus),
    expectedStatusText: expectedStatus,
    keyword: null,
    keywordAbsent: false,
    jsonAssertion: null,
    followRedirects: true,
    maxRedirects: 5,
    ignoreTlsErrors: false,
    ...rest,
  };
}

const allow = { allowPrivateTargets: true };

Deno.test({
  name: "runCheck() against local targets",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const target = startTarget();
    try {
      await t.step("up: status and response time, no TLS fields on http", async () => {
        const r = await runCheck(job(`${target.url}/ok`), allow);
        assert.equal(r.success, true);
        assert.equal(r.statusCode, 200);
        assert.equal(r.errorMessage, null);
        assert.ok(r.responseTimeMs !== null && r.responseTimeMs >= 0);
        assert.equal(r.sslValid, null);
        assert.equal(r.sslExpiresAt, null);
      });
      await t.step("500 fails with the real status", async () => {
        const r = await runCheck(job(`${target.url}/status/500`), allow);
        assert.equal(r.success, false);
        assert.equal(r.statusCode, 500);
        assert.equal(r.errorMessage, "Unexpected status 500 (expected 200-399)");
      });
      await t.step("expected_status lists and ranges", async () => {
        const r = await runCheck(
          job(`${target.url}/status/503`, { expectedStatus: "200,503" }),
          allow,
        );
        assert.equal(r.success, true);
        const r2 = await runCheck(
          job(`${target.url}/status/204`, { expectedStatus: "200-203,205" }),
          allow,
        );
        assert.equal(r2.success, false);
      });
      await t.step("slow past the timeout", async () => {
        const started = performance.now();
        const r = await runCheck(job(`${target.url}/slow?ms=2000`, { timeoutMs: 300 }), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "Timeout after 300 ms");
        assert.equal(r.statusCode, null);
        assert.ok(performance.now() - started < 1500, "the timeout bounds the whole check");
      });
      await t.step("connection refused", async () => {
        const port = closedPort();
        const r = await runCheck(job(`http://127.0.0.1:${port}/`), allow);
        assert.equal(r.success, false);
        assert.equal(r.statusCode, null);
        assert.equal(r.errorMessage, `Connection refused by 127.0.0.1:${port}`);
      });
      await t.step("DNS failure", async () => {
        const r = await runCheck(job("http://no-such-host.invalid/"), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "DNS lookup failed for no-such-host.invalid");
      });
      await t.step("keyword present and missing", async () => {
        const yes = await runCheck(job(`${target.url}/ok`, { keyword: "systems ok" }), allow);
        assert.equal(yes.success, true);
        const no = await runCheck(job(`${target.url}/ok`, { keyword: "banana" }), allow);
        assert.equal(no.success, false);
        assert.equal(no.statusCode, 200);
        assert.equal(no.errorMessage, 'Keyword "banana" not found');
      });
      await t.step("keyword is searched in the first MiB only", async () => {
        const r = await runCheck(job(`${target.url}/big`, { keyword: "needle" }), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, 'Keyword "needle" not found');
      });
      await t.step("HEAD", async () => {
        const r = await runCheck(job(`${target.url}/ok`, { method: "HEAD" }), allow);
        assert.equal(r.success, true);
        assert.equal(r.statusCode, 200);
      });
      await t.step("a redirect chain of 5 is followed, 6 is too many", async () => {
        const five = await runCheck(
          job(`${target.url}/redirect/4`, { keyword: "systems ok" }),
          allow,
        );
        assert.equal(five.success, true, five.errorMessage ?? "");
        assert.equal(five.statusCode, 200);
        const six = await runCheck(job(`${target.url}/redirect/5`), allow);
        assert.equal(six.success, false);
        assert.equal(six.errorMessage, "Too many redirects (more than 5)");
      });
      await t.step("a redirect to a private address is refused at connect time", async () => {
        // 127.0.0.1 stands for a public address here; 127.0.0.2 is the private one.
        const isBlocked = (a: string) => a === "127.0.0.2";
        const hop = `http://127.0.0.2:${target.port}/ok`;
        const before = target.hits.get("/ok") ?? 0;
        const r = await runCheck(job(`${target.url}/to?url=${encodeURIComponent(hop)}`), {
          isBlocked,
        });
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "Blocked: 127.0.0.2 is a private address");
        assert.equal(target.hits.get("/ok") ?? 0, before, "the private hop was never contacted");
      });
      await t.step("a DNS answer pointing inside is refused at connect time", async () => {
        let calls = 0;
        const resolve = () => {
          calls++;
          return Promise.resolve([{ address: "127.0.0.2", family: 4 }]);
        };
        const isBlocked = (a: string) => a === "127.0.0.2";
        const r = await runCheck(job(`http://rebind.example:${target.port}/ok`), {
          isBlocked,
          resolve,
        });
        assert.equal(r.success, false);
        assert.equal(
          r.errorMessage,
          "Blocked: rebind.example resolves to private address 127.0.0.2",
        );
        assert.equal(calls, 1);
      });
      await t.step("private targets are refused by default", async () => {
        const r = await runCheck(job(`${target.url}/ok`));
        assert.equal(r.success, false);
        assert.match(r.errorMessage!, /^Blocked: 127\.0\.0\.1 is a private address/);
      });
    } finally {
      await target.close();
    }
  },
});

Deno.test({
  name: "runCheck() reads TLS certificates",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const selfSigned = startTlsTarget(await selfSignedCertificate(30));
    const expired = startTlsTarget(await expiredCertificate());
    try {
      await t.step("self-signed: invalid, with its expiry", async () => {
        const r = await runCheck(job(selfSigned.url), allow);
        assert.equal(r.success, false);
        assert.equal(r.statusCode, 200);
        assert.equal(r.sslValid, false);
        assert.equal(r.errorMessage, "TLS certificate is self-signed");
        const days = (Date.parse(r.sslExpiresAt!) - Date.now()) / 86400_000;
        assert.ok(days > 29 && days < 31, `expires in ${days} days`);
      });
      await t.step("ignore_tls_errors succeeds but still reports the certificate", async () => {
        const r = await runCheck(job(selfSigned.url, { ignoreTlsErrors: true }), allow);
        assert.equal(r.success, true);
        assert.equal(r.sslValid, false);
        assert.ok(r.sslExpiresAt);
      });
      await t.step("expired", async () => {
        const r = await runCheck(job(expired.url), allow);
        assert.equal(r.success, false);
        assert.equal(r.sslValid, false);
        assert.equal(r.sslExpiresAt, "2020-02-01T00:00:00.000Z");
        assert.equal(r.errorMessage, "TLS certificate expired");
      });
    } finally {
      await selfSigned.close();
      await expired.close();
    }
  },
});

Deno.test({
  name:
    "runCheck() sends the monitor's method, headers and body; reads keywords, JSON and redirects",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const target = startTarget();
    try {
      await t.step("POST with headers and a body, as the target received them", async () => {
        const r = await runCheck(
          job(`${target.url}/echo`, {
            method: "POST",
            headers: { "X-Api-Key": "k-123", "Content-Type": "application/json" },
            body: '{"ping":true}',
            jsonAssertion: { path: "$.body", op: "==", value: '{"ping":true}' },
          }),
          allow,
        );
        assert.equal(r.errorMessage, null);
        assert.equal(r.success, true);
        const check = await runCheck(
          job(`${target.url}/echo`, {
            method: "POST",
            headers: { "X-Api-Key": "k-123" },
            body: "x",
            jsonAssertion: { path: "$.headers.x-api-key", op: "==", value: "k-123" },
          }),
          allow,
        );
        assert.equal(check.success, true, String(check.errorMessage));
        const method = await runCheck(
          job(`${target.url}/echo`, {
            method: "DELETE",
            jsonAssertion: { path: "$.method", op: "==", value: "DELETE" },
          }),
          allow,
        );
        assert.equal(method.success, true, String(method.errorMessage));
      });

      await t.step("keyword absence", async () => {
        const present = await runCheck(
          job(`${target.url}/ok`, { keyword: "systems ok", keywordAbsent: true }),
          allow,
        );
        assert.equal(present.success, false);
        assert.equal(present.errorMessage, 'Keyword "systems ok" found');
        const absent = await runCheck(
          job(`${target.url}/ok`, { keyword: "outage", keywordAbsent: true }),
          allow,
        );
        assert.equal(absent.success, true);
      });

      await t.step("JSON assertions true and false", async () => {
        const yes = await runCheck(
          job(`${target.url}/json`, {
            jsonAssertion: { path: "$.items[0].state", op: "==", value: "green" },
          }),
          allow,
        );
        assert.equal(yes.success, true, String(yes.errorMessage));
        const lt = await runCheck(
          job(`${target.url}/json`, { jsonAssertion: { path: "$.load", op: "<", value: 0.9 } }),
          allow,
        );
        assert.equal(lt.success, true);
        const no = await runCheck(
          job(`${target.url}/json`, {
            jsonAssertion: { path: "$.status", op: "==", value: "down" },
          }),
          allow,
        );
        assert.equal(no.success, false);
        assert.equal(
          no.errorMessage,
          'JSON assertion failed: $.status is "ok", expected == "down"',
        );
      });

      await t.step("redirects off: the 302 itself is the answer", async () => {
        const off = await runCheck(
          job(`${target.url}/redirect/0`, { followRedirects: false }),
          allow,
        );
        assert.equal(off.statusCode, 302);
        assert.equal(off.success, true, "302 is within 200-399");
        const strict = await runCheck(
          job(`${target.url}/redirect/0`, { followRedirects: false, expectedStatus: "200" }),
          allow,
        );
        assert.equal(strict.success, false);
        assert.equal(strict.errorMessage, "Unexpected status 302 (expected 200)");
        const on = await runCheck(job(`${target.url}/redirect/0`), allow);
        assert.equal(on.statusCode, 200);
        const limited = await runCheck(job(`${target.url}/redirect/2`, { maxRedirects: 1 }), allow);
        assert.equal(limited.errorMessage, "Too many redirects (more than 1)");
      });
    } finally {
      await target.close();
    }
  },
});
