import assert from "node:assert/strict";
import { addressKey, isIpLiteral, isPrivateAddress } from "./private_address.ts";

Deno.test("isPrivateAddress() classifies addresses", async (t) => {
  const cases: [string, boolean][] = [
    ["127.0.0.1", true],
    ["127.255.1.2", true],
    ["0.0.0.0", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.255", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["100.127.255.255", true],
    ["100.128.0.1", false],
    ["224.0.0.1", true],
    ["255.255.255.255", true],
    ["8.8.8.8", false],
    ["93.184.216.34", false],
    ["::1", true],
    ["::", true],
    ["[::1]", true],
    ["fc00::1", true],
    ["fd12:3456::1", true],
    ["fe80::1%eth0", true],
    ["::ffff:127.0.0.1", true],
    ["::ffff:7f00:1", true],
    ["::ffff:10.0.0.1", true],
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::a9fe:a9fe", true],
    ["fd00:ec2::254", true],
    ["2606:4700::1111", false],
    ["2001:db8::1", true],
    ["ff02::1", true],
    // IPv6 forms that carry an IPv4 address are judged by it (issue 12, item 10).
    ["64:ff9b:1::a9fe:a9fe", true], // local-use NAT64 → 169.254.169.254
    ["2002:a9fe:a9fe::", true], // 6to4 of 169.254.169.254
    ["2002:0808:0808::1", false], // 6to4 of 8.8.8.8
    ["::ffff:0:7f00:1", true], // IPv4-translated 127.0.0.1
    ["::7f00:1", true], // IPv4-compatible 127.0.0.1
    ["64:ff9b::808:808", false], // NAT64 of 8.8.8.8
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", true], // Teredo
    ["198.18.0.1", true], // benchmarking
    ["192.0.2.1", true], // TEST-NET-1
  ];
  for (const [address, expected] of cases) {
    await t.step(`${address} → ${expected}`, () => {
      assert.equal(isPrivateAddress(address), expected);
    });
  }
});

Deno.test("isIpLiteral() takes dotted quads and IPv6, not host names", () => {
  assert.equal(isIpLiteral("127.0.0.1"), true);
  assert.equal(isIpLiteral("[::1]"), true);
  assert.equal(isIpLiteral("example.com"), false);
  assert.equal(isIpLiteral("1.2.3"), false);
});

Deno.test("addressKey() groups IPv6 by /64 and unwraps IPv4-mapped addresses", () => {
  assert.equal(addressKey("2001:db8:1:2:aaaa::1"), addressKey("2001:db8:1:2:bbbb::2"));
  assert.notEqual(addressKey("2001:db8:1:2::1"), addressKey("2001:db8:1:3::1"));
  assert.equal(addressKey("::ffff:192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("192.0.2.7"), "192.0.2.7");
  assert.equal(addressKey("unknown"), "unknown");
});
