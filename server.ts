import { loadJwtSecret } from "./core/auth/secret.ts";
import { pruneTickets } from "./core/auth/tickets.ts";
import { TokenService } from "./core/auth/tokens.ts";
import type { Config } from "./core/config.ts";
import { CheckRunner, type CheckRunnerOptions } from "./core/checks/check_runner.ts";
import { pruneChecks } from "./core/checks/retention.ts";
import { type Database, migrate, openDatabase } from "./core/db/mod.ts";
import { notificationSchema, type StoredEvent } from "./core/events/envelope.ts";
import { EVENTS_CHANNEL, pruneEvents, readEventsAfter } from "./core/events/event_log.ts";
import { createLogger, type Logger } from "./core/log.ts";
import { Metrics } from "./core/metrics.ts";
import { RateLimiter } from "./core/rate_limiter.ts";
import { databaseEventLog, SseHub } from "./core/sse/hub.ts";
import { type AppDeps, createApp } from "./routes/mod.ts";

/** Options of {@linkcode startServer}, mostly for tests and benchmarks. */
export interface ServerOptions {
  /** Interface to listen on. @default "0.0.0.0" */
  hostname?: string;
  /** Use this database instead of opening the configured one (it is not closed). */
  db?: Database;
  /** Logger. @default JSON lines at the configured level */
  log?: Logger;
  /** Start the check worker and scheduler. @default true */
  checks?: boolean;
  /** Override the rate limiters (load tests open thousands of streams from one address). */
  limiters?: Partial<AppDeps["limiters"]>;
  /** Check runner tuning (tests shorten the worker heartbeat timeout). */
  checkRunner?: Pick<CheckRunnerOptions, "heartbeatTimeoutMs" | "pollMs" | "workerUrl">;
}

/** A running V-Insight instance. */
export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  checks: CheckRunner | null;
  /** Stops taking work, stores in-flight results, closes streams, then the database. */
  close(): Promise<void>;
}

const MAINTENANCE_MS = 10 * 60_000;

/**
 * Starts one V-Insight instance: database and migrations, the event listener
 * feeding the SSE hub, the check worker with its scheduler, background
 * pruning, and the HTTP server.
 */
export async function startServer(
  config: Config,
  opts: ServerOptions = {},
): Promise<RunningServer> {
  const log = opts.log ?? createLogger(config.logLevel);
  const metrics = new Metrics();
  const db = opts.db ?? await openDatabase(config);
  const applied = await migrate(db);
  if (applied.length) log.info("migrations applied", { versions: applied });
  const tokens = new TokenService(await loadJwtSecret(db, config.jwtSecret));

  const hub = new SseHub({
    heartbeatSeconds: config.sseHeartbeatSeconds,
    clientBuffer: config.sseClientBuffer,
    maxPerTenant: config.sseMaxConnectionsPerTenant,
    metrics,
    log,
    eventLog: databaseEventLog(db),
  });

  async function onNotification(payload: string) {
    try {
      const note = notificationSchema.parse(JSON.parse(payload));
      if ("truncated" in note) {
        const [event] = await readEventsAfter(db, note.tenant_id, note.id - 1, {
          upTo: note.id,
        });
        if (event) hub.publish(event);
      } else {
        hub.publish(note as unknown as StoredEvent);
      }
    } catch (e) {
      log.error("bad event notification", { error: e });
    }
  }
  const unlisten = await db.listen(EVENTS_CHANNEL, onNotification, () => {
    log.warn("event listener reconnected; catching up");
    hub.catchUp().catch((e) => log.error("catch-up failed", { error: e }));
  });

  const checks = opts.checks === false ? null : new CheckRunner({
    db,
    log,
    metrics,
    concurrency: config.checkConcurrency,
    allowPrivateTargets: config.allowPrivateTargets,
    ...opts.checkRunner,
  });
  checks?.start();

  const maintenance = setInterval(async () => {
    try {
      await pruneEvents(db);
      await pruneChecks(db, config.checkRetentionDays);
      await pruneTickets(db);
    } catch (e) {
      log.warn("maintenance failed", { error: e });
    }
  }, MAINTENANCE_MS);
  Deno.unrefTimer(maintenance);

  const window15m = 15 * 60_000;
  const deps: AppDeps = {
    config,
    db,
    log,
    metrics,
    tokens,
    hub,
    wakeScheduler: () => checks?.wake(),
    limiters: {
      loginByEmail: new RateLimiter({ limit: 10, windowMs: window15m }),
      loginByAddress: new RateLimiter({ limit: 50, windowMs: window15m }),
      registerByAddress: new RateLimiter({ limit: 300, windowMs: window15m }),
      streamsByAddress: new RateLimiter({ limit: 600, windowMs: 60_000 }),
      ...opts.limiters,
    },
  };
  const app = createApp(deps);
  const server = Deno.serve({
    port: config.port,
    hostname: opts.hostname ?? "0.0.0.0",
    onListen: () => {},
  }, (req, info) => app.fetch(req, info));
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname === "0.0.0.0" ? "127.0.0.1" : addr.hostname;
  const url = `http://${host}:${addr.port}`;
  log.info("listening", { url, database: db.kind });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    deps,
    checks,
    close: () =>
      closing ??= (async () => {
        clearInterval(maintenance);
        await checks?.stop();
        hub.close();
        await server.shutdown();
        await unlisten().catch(() => {});
        if (!opts.db) await db.close();
        log.info("stopped");
      })(),
  };
}
