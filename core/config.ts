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
  };
}
