/**
 * Shared fixtures of the integration tests: the two database backends, a real
 * server on loopback, and a small API client.
 */
import postgres from "postgres";
import { loadConfig } from "../core/config.ts";
import type { Database } from "../core/db/database.ts";
import { migrate } from "../core/db/migrate.ts";
import { openPglite } from "../core/db/pglite.ts";
import { openPostgres } from "../core/db/postgres.ts";
import { createLogger, type Logger } from "../core/log.ts";
import { RateLimiter } from "../core/rate_limiter.ts";
import { type RunningServer, type ServerOptions, startServer } from "../server.ts";

/** A database backend the suite runs against. */
export interface Backend {
  name: "pglite" | "postgres";
  /** A fresh, empty database; `cleanup` drops it. */
  create(): Promise<
    { db: Database; url?: string; cleanup: () => Promise<void> }
  >;
}

const TEMPLATE_ROOT = `${Deno.env.get("TMPDIR") ?? "/tmp"}/vinsight-pglite-template`;

async function migrationsHash(): Promise<string> {
  const dir = new URL("../core/db/migrations/", import.meta.url);
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  names.sort();
  let text = "";
  for (const n of names) text += n + (await Deno.readTextFile(new URL(n, dir)));
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(text),
  );
  return Array.from(
    new Uint8Array(digest).slice(0, 8),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * A migrated PGlite data directory made once per migration set: a new PGlite
 * directory takes ~5 s to initialise, a copy opens in well under a second.
 */
let templateReady: Promise<string> | undefined;
function pgliteTemplate(): Promise<string> {
  return templateReady ??= (async () => {
    const dir = `${TEMPLATE_ROOT}-${await migrationsHash()}`;
    try {
      await Deno.stat(`${dir}/PG_VERSION`);
      return dir;
    } catch {
      // build it below
    }
    const building = await Deno.makeTempDir({ prefix: "vinsight-template-" });
    const db = await openPglite(building);
    await migrate(db);
    await db.close();
    await Deno.rename(building, dir).catch(async () =>
      await Deno.remove(building, { recursive: true })
    );
    return dir;
  })();
}

async function copyDir(from: string, to: string) {
  const cmd = new Deno.Command("cp", { args: ["-a", `${from}/.`, to] });
  const { code } = await cmd.output();
  if (code !== 0) throw new Error(`cp ${from} failed`);
}

/** Embedded PGlite in a fresh temporary directory. */
export const pgliteBackend: Backend = {
  name: "pglite",
  async create() {
    const dir = await Deno.makeTempDir({ prefix: "vinsight-test-" });
    await copyDir(await pgliteTemplate(), dir);
    const db = await openPglite(dir);
    return {
      db,
      cleanup: async () => {
        await db.close();
        await Deno.remove(dir, { recursive: true }).catch(() => {});
      },
    };
  },
};

/** The admin URL of the test PostgreSQL server, if any. */
export const TEST_DATABASE_URL = Deno.env.get("TEST_DATABASE_URL");
if (!TEST_DATABASE_URL && Deno.env.get("VINSIGHT_REQUIRE_POSTGRES") === "1") {
  throw new Error(
    "VINSIGHT_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set",
  );
}

/** A fresh PostgreSQL database on the test server; returns its URL. */
export async function createPostgresDatabase(): Promise<
  { url: string; drop: () => Promise<void> }
> {
  const admin = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
  const name = `vi_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(
        () => {},
      );
      await a.end();
    },
  };
}

/** A fresh database on the PostgreSQL test server. */
export const postgresBackend: Backend = {
  name: "postgres",
  async create() {
    const { url, drop } = await createPostgresDatabase();
    const db = await openPostgres(url);
    return {
      db,
      url,
      cleanup: async () => {
        await db.close();
        await drop();
      },
    };
  },
};

/** The backends of this run: PGlite always, PostgreSQL when `TEST_DATABASE_URL` is set. */
export const BACKENDS: Backend[] = TEST_DATABASE_URL
  ? [pgliteBackend, postgresBackend]
  : [pgliteBackend];

/** A logger that keeps lines in memory, so tests can read them. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const debug = Deno.env.get("VINSIGHT_TEST_LOG") === "1";
  return Object.assign(
    createLogger("debug", (line) => {
      lines.push(line);
      if (debug) console.error(line);
    }),
    { lines },
  );
}

/** Generous limiters for tests that register many tenants from one address. */
export function looseLimiters() {
  return {
    registerByAddress: new RateLimiter({ limit: 100_000, windowMs: 60_000 }),
    streamsByAddress: new RateLimiter({ limit: 100_000, windowMs: 60_000 }),
    pushByToken: new RateLimiter({ limit: 100_000, windowMs: 60_000 }),
  };
}

/** A running test server with its database and log. */
export interface TestServer extends RunningServer {
  log: Logger & { lines: string[] };
  /** Stops the server and drops its database. */
  stop(): Promise<void>;
}

/**
 * Starts a real server on a free loopback port over a fresh database of
 * `backend`, with `env` as its settings (private targets allowed unless set).
 */
export async function startTestServer(
  backend: Backend,
  env: Record<string, string> = {},
  opts: ServerOptions & { shared?: { db: Database } } = {},
): Promise<TestServer> {
  const created = opts.shared ? null : await backend.create();
  const db = opts.shared?.db ?? created!.db;
  const config = loadConfig({
    PORT: "0",
    ALLOW_PRIVATE_TARGETS: "true",
    JWT_SECRET: "test-secret-test-secret-test-secret-42",
    ...env,
  });
  const log = memoryLogger();
  const server = await startServer(config, {
    hostname: "127.0.0.1",
    log,
    limiters: looseLimiters(),
    ...opts,
    db,
  });
  return {
    ...server,
    log,
    stop: async () => {
      await server.close();
      await created?.cleanup();
    },
  };
}

/** The answer of one API call. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

/** Calls the API with an optional Bearer token and JSON body. */
export async function api(
  base: string,
  method: string,
  path: string,
  opts: {
    token?: string;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.raw;
  // A raw body is JSON unless the caller names another type (API.md: others are 415).
  if (opts.raw !== undefined) headers["content-type"] ??= "application/json";
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(base + path, {
    method,
    headers,
    body,
    redirect: "manual",
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, body: json, text };
}

let registered = 0;

/** Registers a new tenant and returns its token and ids. */
export async function registerTenant(base: string, name = "tenant") {
  const email = `user${++registered}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const res = await api(base, "POST", "/api/v1/auth/register", {
    body: {
      email,
      password: "correct horse battery",
      tenant_name: `${name} ${registered}`,
    },
  });
  if (res.status !== 201) {
    throw new Error(`register failed: ${res.status} ${res.text}`);
  }
  return {
    email,
    password: "correct horse battery",
    token: res.body.token as string,
    tenantId: res.body.tenant.id as number,
    userId: res.body.user.id as string,
    cookie: (res.headers.get("set-cookie") ?? "").split(";")[0],
  };
}

/** Waits until `fn` returns a truthy value, polling every 50 ms, or fails after `ms`. */
export async function eventually<T>(
  fn: () => Promise<T> | T,
  ms = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ""}`);
}

/** Asserts API.md's error shape and returns the code. */
export function errorCode(res: ApiResponse): string {
  const e = res.body?.error;
  if (!e || typeof e.code !== "string" || typeof e.message !== "string") {
    throw new Error(
      `not an API error (status ${res.status}): ${res.text.slice(0, 200)}`,
    );
  }
  if (e.details !== undefined && !Array.isArray(e.details)) {
    throw new Error("details must be an array");
  }
  if (/\bat .*\.ts:\d+/.test(res.text)) {
    throw new Error("error leaks a stack trace");
  }
  return e.code;
}
