import type { MiddlewareHandler } from "hono";
import { addressKey } from "../../core/net/private_address.ts";
import type { AppContext, AppEnv, Limiters } from "../app_env.ts";
import { rateLimited } from "../http_error.ts";
import { clientAddress } from "../request_info.ts";

/** Options of {@linkcode rateLimit}. */
export interface RateLimitOptions {
  /** Which of the instance's limiters counts. */
  limiter: keyof Limiters;
  /**
   * What is counted: the client's address (IPv6 grouped by /64), the
   * signed-in tenant, or a key of the caller's. @default "address"
   */
  key?: "address" | "tenant" | ((c: AppContext) => string);
  /** The refusal's wording, e.g. "Too many new event streams". */
  message: string;
}

/** The key one request counts under. */
export function limitKey(c: AppContext, key: RateLimitOptions["key"] = "address"): string {
  if (typeof key === "function") return key(c);
  if (key === "tenant") return `tenant:${c.var.principal.tenantId}`;
  return addressKey(clientAddress(c, c.var.deps.config.trustProxy));
}

/**
 * Counts each request against one of the instance's limiters before the
 * handler runs, and answers `429 rate_limited` with `Retry-After` past the
 * limit. Counting first means concurrent requests cannot slip past the limit
 * together.
 */
export function rateLimit(opts: RateLimitOptions): MiddlewareHandler<AppEnv> {
  return async function rateLimit(c, next) {
    const limiter = c.var.deps.limiters[opts.limiter];
    const key = limitKey(c, opts.key);
    const wait = limiter.take(key);
    if (wait > 0) throw rateLimited(wait, opts.message);
    await next();
  };
}
