import { ConfigError, loadConfig } from "./core/config.ts";
import { DataDirLockedError } from "./core/db/mod.ts";
import { createLogger } from "./core/log.ts";
import { startServer } from "./server.ts";

/**
 * V-Insight's entry point: reads the settings, starts the instance, and stops
 * it cleanly on SIGINT or SIGTERM (in-flight results stored, streams closed
 * with a reconnect hint, database closed), exiting within 10 seconds.
 */
async function main() {
  if (Deno.args.includes("--healthcheck")) {
    // For container health checks: the image has no curl.
    const port = Deno.env.get("PORT") || "8000";
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
        signal: AbortSignal.timeout(2000),
      });
      Deno.exit(res.ok ? 0 : 1);
    } catch {
      Deno.exit(1);
    }
  }
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`v-insight: ${e.message}`);
      Deno.exit(2);
    }
    throw e;
  }
  const log = createLogger(config.logLevel);
  let server;
  try {
    server = await startServer(config, { log });
  } catch (e) {
    if (e instanceof DataDirLockedError) {
      console.error(`v-insight: ${e.message}`);
      Deno.exit(1);
    }
    throw e;
  }
  let stopping = false;
  const stop = (signal: string) => {
    // `deno task` passes the signal on, so the process may see it twice.
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const hardStop = setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      Deno.exit(1);
    }, 10_000);
    server.close().then(() => {
      clearTimeout(hardStop);
      Deno.exit(0);
    });
  };
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
}

if (import.meta.main) await main();
