import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "./config.ts";

Deno.test("loadConfig() applies API.md defaults", () => {
  const c = loadConfig({});
  assert.equal(c.port, 8000);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.dataDir, "./data");
  assert.equal(c.allowPrivateTargets, false);
  assert.equal(c.sseHeartbeatSeconds, 30);
  assert.equal(c.sseClientBuffer, 10);
  assert.equal(c.sseMaxConnectionsPerTenant, 100);
  assert.equal(c.checkConcurrency, 200);
  assert.equal(c.checkRetentionDays, 90);
  assert.equal(c.trustProxy, false);
  assert.equal(c.logLevel, "info");
});

Deno.test("loadConfig() reads values and treats empty as unset", () => {
  const c = loadConfig({
    PORT: "9000",
    ALLOW_PRIVATE_TARGETS: "true",
    LOG_LEVEL: "debug",
    DATA_DIR: "",
  });
  assert.equal(c.port, 9000);
  assert.equal(c.allowPrivateTargets, true);
  assert.equal(c.logLevel, "debug");
  assert.equal(c.dataDir, "./data");
});

Deno.test("loadConfig() names the bad setting in one line", async (t) => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: "eighty" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ JWT_SECRET: "short" }, "JWT_SECRET"],
    [{ ALLOW_PRIVATE_TARGETS: "yes" }, "ALLOW_PRIVATE_TARGETS"],
    [{ SSE_HEARTBEAT_SECONDS: "0" }, "SSE_HEARTBEAT_SECONDS"],
    [{ SSE_CLIENT_BUFFER: "-1" }, "SSE_CLIENT_BUFFER"],
    [{ CHECK_CONCURRENCY: "1.5" }, "CHECK_CONCURRENCY"],
    [{ LOG_LEVEL: "verbose" }, "LOG_LEVEL"],
    [{ TRUST_PROXY: "maybe" }, "TRUST_PROXY"],
  ];
  for (const [env, name] of cases) {
    await t.step(name, () => {
      assert.throws(() => loadConfig(env), (e: Error) => {
        assert.ok(e instanceof ConfigError);
        assert.ok(e.message.startsWith(`Invalid setting ${name}=`), e.message);
        assert.ok(!e.message.includes("\n"));
        return true;
      });
    });
  }
});

Deno.test("loadConfig() in deploy mode needs DATABASE_URL", () => {
  assert.throws(
    () => loadConfig({ DEPLOY_MODE: "true" }),
    /DATABASE_URL is required on Deno Deploy/,
  );
  assert.throws(() => loadConfig({ DENO_DEPLOY: "1" }), /DATABASE_URL is required/);
  const c = loadConfig({ DENO_DEPLOYMENT_ID: "abc", DATABASE_URL: "postgres://x@h/db" });
  assert.equal(c.deployMode, true);
  assert.equal(loadConfig({ DENO_DEPLOY: "1", DEPLOY_MODE: "false" }).deployMode, false);
  assert.equal(loadConfig({}).deployMode, false);
});
