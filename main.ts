import denoJson from "./deno.json" with { type: "json" };
import { ConfigError, isDeployMode, loadConfig, SETTINGS_HELP } from "./core/config.ts";
import { DataDirLockedError } from "./core/db/mod.ts";
import { createLogger } from "./core/log.ts";
import { type RunningServer, startServer } from "./server.ts";

/** How long a cron run checks: most of its minute, leaving room to finish before the next. */
const CRON_RUN_MS = 55_000;

function help(): string {
  const width = Math.max(...SETTINGS_HELP.map(([n]) => n.length));
  return [
    `V-Insight ${denoJson.version}: a self-hostable, multi-tenant uptime monitor.`,
    "",
    "Usage: v-insight [--help | --version | --healthcheck]",
    "  (from source: deno task start)",
    "",
    "Settings (environment variables), with their defaults:",
    ...SETTINGS_HELP.map(([name, fallback, meaning]) =>
      `  ${name.padEnd(width)}  ${meaning} [default: ${fallback}]`
    ),
    "",
    "The HTTP API is described in docs/API.md.",
  ].join("\n");
}

/**
 * On Deno Deploy the process sleeps when no request comes, so an interval
 * timer cannot drive the checks: a `Deno.cron` run does, every minute. It must
 * be registered at the top level of the entry module, before the server
 * starts; it finds the instance through this holder.
 */
let instance: RunningServer | undefined;
function registerCron(env: Record<string, string | undefined>) {
  if (!isDeployMode(env) || typeof Deno.cron !== "function") return;
  Deno.cron("v-insight checks", "* * * * *", async () => {
    await instance?.runChecksFor(CRON_RUN_MS);
  });
}

/**
 * V-Insight's entry point: reads the settings, starts the instance, and stops
 * it cleanly on SIGINT or SIGTERM (in-flight results stored, streams closed
 * with a reconnect hint, database closed), exiting within 8 seconds (5 on
 * Deno Deploy). `--help` lists the settings, `--version` says which this is.
 */
async function main() {
  if (Deno.args.includes("--help") || Deno.args.includes("-h")) {
    console.log(help());
    return;
  }
  if (Deno.args.includes("--version") || Deno.args.includes("-V")) {
    console.log(`v-insight ${denoJson.version} (deno ${Deno.version.deno})`);
    return;
  }
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
    instance = server;
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
    // Deno Deploy allows 5 s; a container's default grace period is 10 s.
    const limit = config.deployMode ? 5_000 : 8_000;
    const hardStop = setTimeout(() => {
      log.error(`shutdown took longer than ${limit / 1000} s; exiting`);
      Deno.exit(1);
    }, limit);
    server.close().then(() => {
      clearTimeout(hardStop);
      Deno.exit(0);
    });
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, () => stop(signal));
    } catch {
      // no signals where the platform ends the isolate itself (Deno Deploy)
    }
  }
}

if (import.meta.main) {
  registerCron(Deno.env.toObject());
  await main();
}
