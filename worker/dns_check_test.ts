import assert from "node:assert/strict";
import { startDnsServer } from "../tests/_dns_server.ts";
import { formatAnswers, matchesExpected, parseResolver, runDnsCheck } from "./dns_check.ts";

type RecordType = "A" | "AAAA" | "CNAME" | "MX" | "TXT" | "NS";

Deno.test({
  name: "runDnsCheck() against a DNS server on loopback",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const dns = await startDnsServer({
      "example.test": {
        A: ["203.0.113.7"],
        AAAA: ["2001:db8::7"],
        MX: ["10 mail.example.test"],
        TXT: ["v=spf1 -all"],
        NS: ["ns1.example.test"],
      },
      "www.example.test": { CNAME: ["example.test"] },
      "v4only.example.test": { A: ["203.0.113.8"] },
    });
    const job = (hostname: string, recordType: RecordType, expected: string | null = null) => ({
      kind: "dns" as const,
      monitorId: "m",
      hostname,
      recordType,
      expected,
      resolver: dns.resolver,
      timeoutMs: 2000,
    });
    const allow = { allowPrivateTargets: true };
    try {
      const cases: [string, RecordType, string][] = [
        ["example.test", "A", "203.0.113.7"],
        ["example.test", "AAAA", "2001:db8::7"],
        ["www.example.test", "CNAME", "example.test"],
        ["example.test", "MX", "10 mail.example.test"],
        ["example.test", "TXT", "v=spf1 -all"],
        ["example.test", "NS", "ns1.example.test."],
      ];
      for (const [name, type, expected] of cases) {
        await t.step(`${type} ${name} answers ${expected}`, async () => {
          const r = await runDnsCheck(job(name, type, expected), allow);
          assert.equal(r.errorMessage, null);
          assert.equal(r.success, true);
          assert.ok(r.responseTimeMs !== null && r.responseTimeMs >= 0);
        });
      }

      await t.step("a wrong answer says what it got", async () => {
        const r = await runDnsCheck(job("example.test", "A", "198.51.100.2"), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "expected 198.51.100.2, got 203.0.113.7");
      });

      await t.step("no record of the type", async () => {
        const r = await runDnsCheck(job("v4only.example.test", "AAAA"), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "DNS: no AAAA record for v4only.example.test");
      });

      await t.step("NXDOMAIN", async () => {
        const r = await runDnsCheck(job("missing.example.test", "A"), allow);
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, "DNS: no A record for missing.example.test");
      });

      await t.step("a private resolver is refused unless allowed", async () => {
        const r = await runDnsCheck(job("example.test", "A"));
        assert.equal(r.success, false);
        assert.equal(r.errorMessage, `Blocked: resolver ${dns.resolver} is a private address`);
      });
    } finally {
      await dns.close();
    }
  },
});

Deno.test("parseResolver(), formatAnswers() and matchesExpected() read like a person writes", () => {
  assert.deepEqual(parseResolver("9.9.9.9"), { ipAddr: "9.9.9.9", port: 53 });
  assert.deepEqual(parseResolver("127.0.0.1:5353"), { ipAddr: "127.0.0.1", port: 5353 });
  assert.deepEqual(parseResolver("[2620:fe::fe]:853"), { ipAddr: "2620:fe::fe", port: 853 });
  assert.deepEqual(parseResolver("2620:fe::fe"), { ipAddr: "2620:fe::fe", port: 53 });
  assert.deepEqual(formatAnswers("MX", [{ preference: 10, exchange: "mx.example." }]), [
    "10 mx.example",
  ]);
  assert.deepEqual(formatAnswers("TXT", [["a", "b"]]), ["ab"]);
  assert.equal(matchesExpected("Example.TEST.", ["example.test"]), true);
});
