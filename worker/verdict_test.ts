import assert from "node:assert/strict";
import { describeNetworkError, statusMatches, verdict, type VerdictRules } from "./verdict.ts";

const rules: VerdictRules = {
  method: "GET",
  expectedStatus: [[200, 399]],
  expectedStatusText: "200-399",
  keyword: null,
  ignoreTlsErrors: false,
};
const body = (text: string) => new TextEncoder().encode(text);
const badTls = { valid: false, expiresAt: null, problem: "TLS certificate expired" };

Deno.test("verdict() judges status, keyword and certificate", async (t) => {
  const cases: {
    name: string;
    answer: Parameters<typeof verdict>[0];
    rules?: Partial<VerdictRules>;
    expect: string | null;
  }[] = [
    {
      name: "a status in range succeeds",
      answer: { status: 204, body: null, tls: null },
      expect: null,
    },
    {
      name: "a status out of range names the expected ranges",
      answer: { status: 503, body: null, tls: null },
      expect: "Unexpected status 503 (expected 200-399)",
    },
    {
      name: "a keyword in the body succeeds",
      answer: { status: 200, body: body("all ok here"), tls: null },
      rules: { keyword: "ok" },
      expect: null,
    },
    {
      name: "a missing keyword fails",
      answer: { status: 200, body: body("nothing"), tls: null },
      rules: { keyword: "ok" },
      expect: 'Keyword "ok" not found',
    },
    {
      name: "HEAD never looks for the keyword",
      answer: { status: 200, body: null, tls: null },
      rules: { keyword: "ok", method: "HEAD" },
      expect: null,
    },
    {
      name: "an invalid certificate fails",
      answer: { status: 200, body: null, tls: badTls },
      expect: "TLS certificate expired",
    },
    {
      name: "an invalid certificate passes when ignored",
      answer: { status: 200, body: null, tls: badTls },
      rules: { ignoreTlsErrors: true },
      expect: null,
    },
    {
      name: "keyword absence: present fails",
      answer: { status: 200, body: body("error: database down"), tls: null },
      rules: { keyword: "error", keywordAbsent: true },
      expect: 'Keyword "error" found',
    },
    {
      name: "keyword absence: absent succeeds",
      answer: { status: 200, body: body("all fine"), tls: null },
      rules: { keyword: "error", keywordAbsent: true },
      expect: null,
    },
    {
      name: "a JSON assertion that fails is named",
      answer: { status: 200, body: body('{"status":"degraded"}'), tls: null },
      rules: { jsonAssertion: { path: "$.status", op: "==", value: "ok" } },
      expect: 'JSON assertion failed: $.status is "degraded", expected == "ok"',
    },
    {
      name: "every problem is named",
      answer: { status: 500, body: body(""), tls: badTls },
      rules: { keyword: "ok" },
      expect:
        'Unexpected status 500 (expected 200-399); Keyword "ok" not found; TLS certificate expired',
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const v = verdict(c.answer, { ...rules, ...c.rules });
      assert.equal(v.errorMessage, c.expect);
      assert.equal(v.success, c.expect === null);
    });
  }
});

Deno.test("statusMatches() is inclusive at both ends", () => {
  assert.equal(statusMatches([[200, 204], [304, 304]], 204), true);
  assert.equal(statusMatches([[200, 204], [304, 304]], 304), true);
  assert.equal(statusMatches([[200, 204], [304, 304]], 205), false);
});

Deno.test("describeNetworkError() speaks of the host and port", () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  const url = new URL("https://db.example.com/");
  assert.equal(
    describeNetworkError(err("ECONNREFUSED"), url),
    "Connection refused by db.example.com:443",
  );
  assert.equal(describeNetworkError(err("ENOTFOUND"), url), "DNS lookup failed for db.example.com");
  assert.equal(
    describeNetworkError(err("EHOSTUNREACH"), url),
    "Host db.example.com is unreachable",
  );
});
