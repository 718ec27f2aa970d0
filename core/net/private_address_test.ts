import assert from "node:assert/strict";
import { isPrivateAddress } from "./private_address.ts";

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
  ];
  for (const [address, expected] of cases) {
    await t.step(`${address} → ${expected}`, () => {
      assert.equal(isPrivateAddress(address), expected);
    });
  }
});
