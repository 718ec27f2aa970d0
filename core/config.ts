import { z } from "zod";

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

function intIn(min: number, max: number) {
  return z.string().regex(/^\d+$/, "must be a whole number").transform(Number)
    .pipe(
      z.number().int().min(min).max(max),
    );
}

const schema = z.object({
  PORT: intIn(0, 65535).default(8000),
  DATABASE_URL: z.string().regex(
    /^postgres(ql)?:\/\//,
    "must start with postgres://",
  ).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ALLOW_PRIVATE_TARGETS: bool.default(false),
  SSE_HEARTBEAT_SECONDS: intIn(1, 3600).default(30),
  SSE_CLIENT_BUFFER: intIn(1, 100000).default(10),
  SSE_MAX_CONNECTIONS_PER_TENANT: intIn(1, 1000000).default(100),
  CHECK_CONCURRENCY: intIn(1, 100000).default(200),
  CHECK_RETENTION_DAYS: intIn(1, 36500).default(90),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  HOST: z.string().regex(/^[0-9A-Za-z.:-]{1,255}$/, "must be an interface address or name")
    .default("0.0.0.0"),
  MAX_MONITORS_PER_TENANT: intIn(1, 1000000).default(1000),
  PUBLIC_URL: z.string().regex(/^https?:\/\/[^\s/]+(\/[^\s]*)?$/, "must be an http(s) URL")
    .optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\/\S+$/, "must start with smtp:// or smtps://").optional(),
  SMTP_FROM: z.string().min(3).max(300).optional(),
  DEPLOY_MODE: bool.optional(),
  DENO_DEPLOY: z.string().optional(),
  DENO_DEPLOYMENT_ID: z.string().optional(),
});

/** The validated settings of one V-Insight process (see API.md, "Settings"). */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  jwtSecret: string | undefined;
  allowPrivateTargets: boolean;
  sseHeartbeatSeconds: number;
  sseClientBuffer: number;
  sseMaxConnectionsPerTenant: number;
  checkConcurrency: number;
  checkRetentionDays: number;
  trustProxy: boolean;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Interface to listen on. */
  host: string;
  maxMonitorsPerTenant: number;
  /** The address users reach, for links in notifications; unset: the listening address. */
  publicUrl: string | undefined;
  smtpUrl: string | undefined;
  /** Sender of notification mails. @default "V-Insight <noreply@HOST>" */
  smtpFrom: string | undefined;
  /**
   * Deno Deploy: no Worker and no file system; checks run inline from
   * `Deno.cron`. Detected from `DENO_DEPLOY` (or `DENO_DEPLOYMENT_ID`), or
   * forced with `DEPLOY_MODE=true`.
   */
  deployMode: boolean;
}

/**
 * Whether this process runs on Deno Deploy: `DEPLOY_MODE=true` forces it,
 * `DEPLOY_MODE=false` refuses it, otherwise `DENO_DEPLOY` (or Deploy's
 * `DENO_DEPLOYMENT_ID`) tells.
 */
export function isDeployMode(env: Record<string, string | undefined>): boolean {
  const forced = env.DEPLOY_MODE;
  if (forced === "true" || forced === "1") return true;
  if (forced === "false" || forced === "0") return false;
  return Boolean(env.DENO_DEPLOY || env.DENO_DEPLOYMENT_ID);
}

/** Thrown when a setting has a bad value; its message is one line naming the setting. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads and validates the settings from an environment map. Empty strings count
 * as unset, so `PORT= deno task start` uses the default.
 *
 * @example
 * const config = loadConfig(Deno.env.toObject());
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ConfigError(
      `Invalid setting ${name}=${JSON.stringify(input[name] ?? "")}: ${issue.message}`,
    );
  }
  const s = parsed.data;
  const deployMode = isDeployMode(env);
  if (deployMode && !s.DATABASE_URL) {
    throw new ConfigError(
      "DATABASE_URL is required on Deno Deploy (there is no file system for the embedded database)",
    );
  }
  return {
    port: s.PORT,
    databaseUrl: s.DATABASE_URL,
    dataDir: s.DATA_DIR,
    jwtSecret: s.JWT_SECRET,
    allowPrivateTargets: s.ALLOW_PRIVATE_TARGETS,
    sseHeartbeatSeconds: s.SSE_HEARTBEAT_SECONDS,
    sseClientBuffer: s.SSE_CLIENT_BUFFER,
    sseMaxConnectionsPerTenant: s.SSE_MAX_CONNECTIONS_PER_TENANT,
    checkConcurrency: s.CHECK_CONCURRENCY,
    checkRetentionDays: s.CHECK_RETENTION_DAYS,
    trustProxy: s.TRUST_PROXY,
    logLevel: s.LOG_LEVEL,
    host: s.HOST,
    maxMonitorsPerTenant: s.MAX_MONITORS_PER_TENANT,
    publicUrl: s.PUBLIC_URL?.replace(/\/+$/, ""),
    smtpUrl: s.SMTP_URL,
    smtpFrom: s.SMTP_FROM,
    deployMode,
  };
}

/** Every setting with its default and meaning, for `--help` (API.md, "Settings"). */
export const SETTINGS_HELP: readonly [name: string, fallback: string, meaning: string][] = [
  ["PORT", "8000", "HTTP port"],
  ["HOST", "0.0.0.0", "interface to listen on (:: for IPv6 as well)"],
  ["DATABASE_URL", "unset: embedded PGlite in DATA_DIR", "postgres://… for a PostgreSQL server"],
  ["DATA_DIR", "./data", "embedded database (one process at a time)"],
  ["JWT_SECRET", "generated once, kept in the database", "token signing key (32+ characters)"],
  ["ALLOW_PRIVATE_TARGETS", "false", "allow monitors and channels on private addresses"],
  ["SSE_HEARTBEAT_SECONDS", "30", "heartbeat period of event streams"],
  ["SSE_CLIENT_BUFFER", "10", "events queued per stream before it is cut"],
  ["SSE_MAX_CONNECTIONS_PER_TENANT", "100", "streams per tenant and instance"],
  ["CHECK_CONCURRENCY", "200", "checks in flight at once in one instance"],
  ["CHECK_RETENTION_DAYS", "90", "raw check results kept"],
  ["TRUST_PROXY", "false", "trust X-Forwarded-* from a reverse proxy"],
  ["LOG_LEVEL", "info", "debug, info, warn or error (JSON lines)"],
  ["MAX_MONITORS_PER_TENANT", "1000", "monitors one tenant may hold"],
  ["PUBLIC_URL", "the listening address", "the address users reach, for links"],
  ["SMTP_URL", "unset: no email channels", "smtp://user:pass@host:587 or smtps://…:465"],
  ["SMTP_FROM", "V-Insight <noreply@HOST>", "sender of notification mails"],
  ["DEPLOY_MODE", "detected from DENO_DEPLOY", "no Worker, no file system, checks by Deno.cron"],
];
