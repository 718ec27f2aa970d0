import type { Mailer } from "../core/notifications/mailer.ts";
import type { Role } from "../core/auth/roles.ts";
import type { Context } from "hono";
import type { Principal, TokenService } from "../core/auth/tokens.ts";
import type { Config } from "../core/config.ts";
import type { Database } from "../core/db/database.ts";
import type { Logger } from "../core/log.ts";
import type { Metrics } from "../core/metrics.ts";
import type { RateLimiter } from "../core/rate_limiter.ts";
import type { SseHub } from "../core/sse/hub.ts";
import type { PublicStatusCache } from "../core/status_pages/public_cache.ts";
import type { PublicStreams } from "../core/sse/public_streams.ts";

/** The served assets and their content-hashed URLs, read once at start-up. */
export interface StaticAssets {
  /** The URL of an asset with its content hash, e.g. `/static/app.css?v=1a2b3c4d`. */
  url(path: string): string;
  has(path: string): boolean;
}

/** The rate limiters of an instance, by what they count. */
export interface Limiters {
  loginByEmail: RateLimiter;
  loginByAddress: RateLimiter;
  registerByAddress: RateLimiter;
  streamsByAddress: RateLimiter;
  manualChecksByTenant: RateLimiter;
  ticketsByTenant: RateLimiter;
  pushByToken: RateLimiter;
}

/** What the HTTP layer needs, created in `server.ts` and passed down. */
export interface AppDeps {
  config: Config;
  db: Database;
  log: Logger;
  metrics: Metrics;
  tokens: TokenService;
  hub: SseHub;
  /** Public status pages, computed once per change. */
  publicStatus: PublicStatusCache;
  /** Status pages' live event streams. */
  publicStreams: PublicStreams;
  /** Makes the scheduler look for due monitors now (after `POST …/check`). */
  wakeScheduler: () => void;
  /** Makes the notification dispatcher look for due deliveries now. */
  wakeDispatcher: () => void;
  /** Whether the check runner works (`/readyz`); always true without one. */
  checksReady: () => boolean;
  limiters: Limiters;
  /** Password hashes allowed in flight at once; more answer 503. */
  hashSlots: HashSlots;
  /** The SMTP mailer when `SMTP_URL` is set (invitations are also mailed). */
  mailer?: Mailer | null;
}

/** A counting semaphore that refuses instead of queueing (see `web/session.ts`). */
export interface HashSlots {
  tryAcquire(): boolean;
  release(): void;
}

/** Per-route settings a route module exports as `config` (Fresh's RouteConfig). */
export interface RouteConfig {
  /**
   * Who may call the route: `"required"` answers 401 (API) or redirects to
   * /login (pages) without a session; `"optional"` resolves one when present;
   * `"none"` does not look. @default "required"
   */
  auth?: "required" | "optional" | "none";
  /** Accept `?ticket=` and `?token=` credentials (the event stream only). @default false */
  queryCredentials?: boolean;
  /** Take a body of any content type (push URLs, called by plain `curl -d`). @default false */
  anyBody?: boolean;
  /** Refuse API keys (the routes that manage keys, members, sessions, the audit log). @default false */
  noApiKeys?: boolean;
  /**
   * The least role that may call the route (`core/auth/roles.ts`).
   * @default "viewer" for GET and HEAD, "editor" for writes
   */
  role?: Role;
}

/** Hono's environment: per-request variables and the connection info. */
export interface AppEnv {
  Bindings: { remoteAddr?: Deno.NetAddr };
  Variables: {
    requestId: string;
    cspNonce: string;
    deps: AppDeps;
    assets: StaticAssets;
    /** The OpenAPI document of this app's routes (built once). */
    openapi: () => unknown;
    route: RouteConfig;
    principal: Principal;
    /** The principal's role in its tenant (an API key's follows its scope). */
    role: Role;
    authVia: "bearer" | "cookie" | "query" | "api_key";
    /** The API key the request came with, when it came with one. */
    apiKey?: { id: string; name: string; scope: "read" | "write" };
    /**
     * The tenant's last event id when a page request reached its handler, before the
     * page read its data: the page hands it to the dashboard's first stream, which
     * replays what happened after (`routes/_layout.tsx`, `client/event_stream.ts`).
     */
    eventsAfter?: number;
    /** Renders the route's page component with `data` inside its layouts. */
    render: (data?: unknown, opts?: RenderOptions) => Promise<Response>;
  };
}

/** Options of a page render. */
export interface RenderOptions {
  /** The document title, before " · V-Insight". */
  title?: string;
  /** @default 200 */
  status?: number;
}

/** The request context every handler and middleware receives. */
export type AppContext = Context<AppEnv>;
