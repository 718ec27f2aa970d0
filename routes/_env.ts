import type { Config } from "../core/config.ts";
import type { Database } from "../core/db/database.ts";
import type { Logger } from "../core/log.ts";
import type { Metrics } from "../core/metrics.ts";
import type { Principal, TokenService } from "../core/auth/tokens.ts";
import type { RateLimiter } from "../core/rate_limiter.ts";
import type { SseHub } from "../core/sse/hub.ts";

/** What the HTTP layer needs, created in `main.ts` and passed down. */
export interface AppDeps {
  config: Config;
  db: Database;
  log: Logger;
  metrics: Metrics;
  tokens: TokenService;
  hub: SseHub;
  /** Makes the scheduler look for due monitors now (after `POST …/check`). */
  wakeScheduler: () => void;
  limiters: {
    loginByEmail: RateLimiter;
    loginByAddress: RateLimiter;
    registerByAddress: RateLimiter;
    streamsByAddress: RateLimiter;
  };
}

/** Hono's environment: per-request variables and the connection info. */
export interface AppEnv {
  Bindings: { remoteAddr?: Deno.NetAddr };
  Variables: {
    requestId: string;
    principal: Principal;
    authVia: "bearer" | "cookie" | "query";
    cspNonce: string;
  };
}
