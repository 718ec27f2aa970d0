import { listenForCredentialsEnded } from "./core/auth/sessions.ts";
import { loadJwtSecret } from "./core/auth/secret.ts";
import { pruneTickets } from "./core/auth/tickets.ts";
import { TokenService } from "./core/auth/tokens.ts";
import type { Config } from "./core/config.ts";
import { CheckRunner, type CheckRunnerOptions } from "./core/checks/check_runner.ts";
import { InlineChecks } from "./core/checks/inline_checks.ts";
import { prunePushCalls } from "./core/checks/push.ts";
import { pruneChecks } from "./core/checks/retention.ts";
import { type Database, migrate, openDatabase } from "./core/db/mod.ts";
import { listenForEvents } from "./core/events/event_bus.ts";
import { databaseEventLog, pruneEvents } from "./core/events/event_log.ts";
import { createLogger, type Logger } from "./core/log.ts";
import { Metrics } from "./core/metrics.ts";
import { nextMaintenanceChange } from "./core/maintenance/maintenance_window.ts";
import { privateTargetReason } from "./core/monitors/validate_target.ts";
import { type DispatcherOptions, NotificationDispatcher } from "./core/notifications/dispatcher.ts";
import { createMailer } from "./core/notifications/mailer.ts";
import { RateLimiter } from "./core/rate_limiter.ts";
import { SseHub } from "./core/sse/hub.ts";
import { PublicStreams } from "./core/sse/public_streams.ts";
import { PublicStatusCache } from "./core/status_pages/public_cache.ts";
import { componentStatusAt } from "./core/status_pages/public_status.ts";
import { manifest } from "./routes.gen.ts";
import { type AppDeps, createApp } from "./web/app.ts";
import { hashSlots } from "./web/session.ts";
import { runCheck } from "./worker/run_check.ts";

/** The check worker's module: `server.ts` names it, so `core/` never points at `worker/`. */
const WORKER_URL = new URL("./worker/main.ts", import.meta.url);

/** Options of {@linkcode startServer}, mostly for tests and benchmarks. */
export interface ServerOptions {
  /** Interface to listen on. @default config.host */
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
  /** Notification dispatcher tuning (tests shorten the schedule). */
  dispatcher?:
    & Partial<
      Pick<
        DispatcherOptions,
        | "pollMs"
        | "leaseMs"
        | "timeoutMs"
        | "retrySchedule"
        | "reminderMinuteMs"
        | "burstWindowMs"
        | "concurrency"
      >
    >
    & { enabled?: boolean };
  checkRunner?: Partial<
    Pick<
      CheckRunnerOptions,
      "heartbeatTimeoutMs" | "pollMs" | "workerUrl" | "restartDelayMs" | "maxBacklog"
    >
  >;
}

/** A running V-Insight instance. */
export interface RunningServer {
  url: string;
  port: number;
  deps: AppDeps;
  checks: CheckRunner | null;
  /** Deploy mode's checks, without a Worker. */
  inline: InlineChecks | null;
  dispatcher: NotificationDispatcher | null;
  /** One `Deno.cron` run: claims and runs due checks for `ms` (deploy mode). */
  runChecksFor(ms: number): Promise<void>;
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

  const mailer = config.smtpUrl
    ? await createMailer(
      config.smtpUrl,
      config.smtpFrom ?? `V-Insight <noreply@${smtpHost(config)}>`,
    )
    : null;
  let dispatcher: NotificationDispatcher | null = null;
  // Status pages' live viewers: one channel per page, fed by the bus like the hub.
  const publicStreams: PublicStreams = new PublicStreams({
    eventLog: databaseEventLog(db),
    log,
    heartbeatSeconds: config.sseHeartbeatSeconds,
    resolvePage: async (slug) => {
      const entry = await publicStatus.get(slug);
      return entry
        ? {
          slug,
          tenantId: entry.tenantId,
          pageId: entry.pageId,
          components: entry.componentIds,
          statuses: new Map(entry.shown),
          statusAt: (monitorId, success, t) =>
            componentStatusAt(entry.windows, monitorId, success, t),
          nextChangeAt: nextMaintenanceChange(entry.windows, entry.componentIds.keys(), Date.now()),
        }
        : null;
    },
    // A window of a watched page started or ended: the page is computed again, and so its view.
    renewTenant: (tenantId) => publicStatus.invalidateTenant(tenantId),
  });
  const publicStatus = new PublicStatusCache(db, {
    onInvalidate: (tenantId) => publicStreams.refreshTenant(tenantId),
  });
  const unlisten = await listenForEvents(db, (event) => {
    hub.publish(event);
    publicStatus.onEvent(event);
    publicStreams.publish(event);
    // An incident opened or resolved on some instance: its notifications are due.
    if (event.type === "incident_created" || event.type === "incident_resolved") {
      dispatcher?.wake();
    }
  }, () => {
    log.warn("event listener reconnected; catching up");
    hub.catchUp().catch((e) => log.error("catch-up failed", { error: e }));
    publicStatus.forgetAll();
    publicStreams.catchUp().catch((e) => log.error("status pages' catch-up failed", { error: e }));
  }, { onError: (e) => log.error("bad event notification", { error: e }) });

  // A session ended, a member removed, a key revoked on any instance: end the streams they opened.
  const unlistenCredentials = await listenForCredentialsEnded(db, (ended) => {
    const n = hub.endStreams({
      userId: ended.user_id,
      tenantId: ended.tenant_id,
      apiKeyId: ended.api_key_id,
      keepSession: ended.keep_session,
    });
    if (n > 0) log.info("event streams ended with their credentials", { streams: n });
  }, (e) => log.error("bad credentials notification", { error: e }));

  // Deno Deploy has no Worker threads: checks run inline, driven by Deno.cron (see main.ts).
  const inline = opts.checks === false || !config.deployMode ? null : new InlineChecks({
    db,
    log,
    metrics,
    runCheck,
    concurrency: config.checkConcurrency,
    allowPrivateTargets: config.allowPrivateTargets,
  });
  const checks = opts.checks === false || config.deployMode ? null : new CheckRunner({
    db,
    log,
    metrics,
    concurrency: config.checkConcurrency,
    allowPrivateTargets: config.allowPrivateTargets,
    workerUrl: WORKER_URL,
    ...opts.checkRunner,
  });
  checks?.start();
  // Serve once checks run (or say why not): /readyz is right from the first request.
  if (checks && !await checks.whenReady(5000)) log.error("the check worker did not start");

  const maintenance = setInterval(async () => {
    try {
      await pruneEvents(db);
      await pruneChecks(db, config.checkRetentionDays);
      await pruneTickets(db);
      await prunePushCalls(db);
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
    publicStatus,
    publicStreams,
    wakeScheduler: () => (checks ?? inline)?.wake(),
    wakeDispatcher: () => dispatcher?.wake(),
    checksReady: () => checks?.ready ?? true,
    limiters: {
      loginByEmail: new RateLimiter({ limit: 10, windowMs: window15m }),
      loginByAddress: new RateLimiter({ limit: 50, windowMs: window15m }),
      registerByAddress: new RateLimiter({ limit: 300, windowMs: window15m }),
      streamsByAddress: new RateLimiter({ limit: 600, windowMs: 60_000 }),
      manualChecksByTenant: new RateLimiter({ limit: 60, windowMs: 60_000 }),
      ticketsByTenant: new RateLimiter({ limit: 600, windowMs: 60_000 }),
      pushByToken: new RateLimiter({ limit: 60, windowMs: 60_000 }),
      ...opts.limiters,
    },
    // Each hash holds ~32 MiB: about two per core run at once, the rest are told to retry.
    hashSlots: hashSlots(Math.max(2, 2 * navigator.hardwareConcurrency)),
    mailer,
  };
  const app = createApp(deps, manifest);
  const server = Deno.serve({
    port: config.port,
    hostname: opts.hostname ?? config.host,
    onListen: () => {},
  }, (req, info) => app.fetch(req, info));
  const addr = server.addr as Deno.NetAddr;
  const host = addr.hostname === "0.0.0.0"
    ? "127.0.0.1"
    : addr.hostname === "::"
    ? "[::1]"
    : addr.hostname.includes(":")
    ? `[${addr.hostname}]`
    : addr.hostname;
  const url = `http://${host}:${addr.port}`;
  dispatcher = opts.dispatcher?.enabled === false ? null : new NotificationDispatcher({
    db,
    log,
    metrics,
    mailer,
    publicUrl: config.publicUrl ?? url.replace("//127.0.0.1:", "//localhost:"),
    checkUrl: async (url) => {
      if (config.allowPrivateTargets) return;
      const reason = await privateTargetReason(url);
      if (reason) throw new Error(`Blocked: ${reason}`);
    },
    ...opts.dispatcher,
  });
  dispatcher?.start();
  log.info("listening", { url, database: db.kind });

  let closing: Promise<void> | undefined;
  return {
    url,
    port: addr.port,
    deps,
    checks,
    inline,
    dispatcher,
    runChecksFor: async (ms) => {
      log.info("cron run", { ms });
      await inline?.runFor(ms);
    },
    close: () =>
      closing ??= (async () => {
        clearInterval(maintenance);
        // Deno Deploy gives an isolate 5 s to stop; a VM or container 10.
        await checks?.stop();
        await inline?.stop(config.deployMode ? 2000 : 5000);
        await dispatcher?.stop(config.deployMode ? 1000 : 3000);
        mailer?.close();
        hub.close();
        publicStreams.close();
        await server.shutdown();
        await unlisten().catch(() => {});
        await unlistenCredentials().catch(() => {});
        if (!opts.db) await db.close();
        log.info("stopped");
      })(),
  };
}

/** The host of the default sender address: the public URL's, else the machine's name. */
function smtpHost(config: Config): string {
  if (config.publicUrl) return new URL(config.publicUrl).hostname;
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}
