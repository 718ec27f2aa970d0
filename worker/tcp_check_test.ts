import assert from "node:assert/strict";
import { closedPort } from "../tests/_targets.ts";
import { runTcpCheck } from "./tcp_check.ts";

const job = (host: string, port: number, timeoutMs = 2000) =>
  ({ kind: "tcp", monitorId: "m", host, port, timeoutMs }) as const;
const allow = { allowPrivateTargets: true };

Deno.test({
  name: "runTcpCheck() against real listeners on loopback",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await t.step("an open port succeeds with the connect time", async () => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      try {
        const r = await runTcpCheck(job("127.0.0.1", (listener.addr as Deno.NetAddr).port), allow);
        assert.equal(r.success, true);
        assert.equal(r.errorMessage, null);
        assert.ok(r.responseTimeMs !== null && r.responseTimeMs >= 0);
      } finally {
        listener.close();
      }
    });

    await t.step("a closed port is refused, by name and port", async () => {
      const port = closedPort();
      const r = await runTcpCheck(job("localhost", port), allow);
      assert.equal(r.success, false);
      assert.equal(r.errorMessage, `Connection refused by localhost:${port}`);
    });

    await t.step("a port that starts listening later: refused, then open", async () => {
      const port = closedPort();
      const before = await runTcpCheck(job("127.0.0.1", port), allow);
      assert.equal(before.success, false);
      const listener = Deno.listen({ hostname: "127.0.0.1", port });
      try {
        const after = await runTcpCheck(job("127.0.0.1", port), allow);
        assert.equal(after.success, true);
      } finally {
        listener.close();
      }
    });

    await t.step("a lookup that never answers times out", async () => {
      const r = await runTcpCheck(job("db.example.test", 5432, 300), {
        ...allow,
        resolve: () => new Promise(() => {}),
      });
      assert.equal(r.success, false);
      assert.equal(r.errorMessage, "Timeout after 300 ms connecting to db.example.test:5432");
    });

    await t.step("private targets are refused unless allowed, at connect time too", async () => {
      const literal = await runTcpCheck(job("127.0.0.1", 5432));
      assert.equal(literal.errorMessage, "Blocked: 127.0.0.1 is a private address");
      const named = await runTcpCheck(job("db.example.test", 5432), {
        resolve: () => Promise.resolve([{ address: "10.0.0.5", family: 4 }]),
      });
      assert.equal(
        named.errorMessage,
        "Blocked: db.example.test resolves to private address 10.0.0.5",
      );
    });
  },
});
