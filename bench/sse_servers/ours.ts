/**
 * V-Insight itself, for the fan-out benchmark: the real server (SSE hub,
 * auth, replay, the LISTEN/NOTIFY path) on PGlite or PostgreSQL. It creates
 * the tenants, prints their tokens, then publishes events through the real
 * event log when told on stdin: `publish <events/s> <seconds>`.
 *
 *   deno run -A bench/sse_servers/ours.ts <port> <tenants>
 */
import { TokenService } from "../../core/auth/tokens.ts";
import { loadConfig } from "../../core/config.ts";
import { appendEvent } from "../../core/events/event_log.ts";
import { createLogger } from "../../core/log.ts";
import { RateLimiter } from "../../core/rate_limiter.ts";
import { startServer } from "../../server.ts";
import { commandLoop, sampleCheck } from "./_common.ts";
import { copyPgliteTemplate } from "../_pglite_template.ts";

const [port, tenantCount] = [Number(Deno.args[0]), Number(Deno.args[1])];
const dataDir = await Deno.makeTempDir({ prefix: "vinsight-bench-" });
await copyPgliteTemplate(`${dataDir}/pgdata`);
const config = loadConfig({
  ...Deno.env.toObject(),
  PORT: String(port),
  DATA_DIR: dataDir,
  SSE_MAX_CONNECTIONS_PER_TENANT: "100000",
  SSE_CLIENT_BUFFER: Deno.env.get("SSE_CLIENT_BUFFER") ?? "64",
  JWT_SECRET: "bench-secret-bench-secret-bench-secret!",
  LOG_LEVEL: "error",
});
const server = await startServer(config, {
  hostname: "127.0.0.1",
  checks: false,
  log: createLogger("error"),
  limiters: { streamsByAddress: new RateLimiter({ limit: 1e9, windowMs: 1000 }) },
});
const db = server.deps.db;
const tokens = new TokenService(config.jwtSecret!);
const ids: number[] = [];
for (let i = 0; i < tenantCount; i++) {
  const [t] = await db.query<{ id: number }>(
    "INSERT INTO tenants (name) VALUES ($1) RETURNING id",
    [`bench ${i}`],
  );
  ids.push(t.id);
}
const auth: string[] = [];
for (const id of ids) {
  // Tokens are good only for a user of the tenant (core/auth/sessions.ts).
  const [{ id: userId }] = await db.query<{ id: string }>(
    "INSERT INTO users (tenant_id, email, password_hash) VALUES ($1, $2, 'unused') RETURNING id",
    [id, `bench-${id}@example.test`],
  );
  await db.query("INSERT INTO memberships (tenant_id, user_id, role) VALUES ($1, $2, 'owner')", [
    id,
    userId,
  ]);
  const { token } = await tokens.issue({ userId, tenantId: id });
  auth.push(`Authorization: Bearer ${token}`);
}
const requestFor = (tenant: number) =>
  `GET /api/v1/stream/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth[tenant]}\r\n\r\n`;
console.log(JSON.stringify({ ready: true, requests: ids.map((_, i) => requestFor(i)) }));

await commandLoop(async (tenant: number) => {
  await db.transaction((tx) =>
    appendEvent(tx, ids[tenant], {
      type: "monitor_check",
      data: sampleCheck(),
    })
  );
}, tenantCount);
await server.close();
await Deno.remove(dataDir, { recursive: true }).catch(() => {});
Deno.exit(0);
