import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../core/log.ts";
import type { AppEnv } from "../app_env.ts";

/**
 * Gives each request an id (kept from a sane `X-Request-Id`, else new), echoes
 * it in the response, and logs one JSON line when the response is ready. Only
 * the path is logged, never the query string, so `?token=` and `?ticket=`
 * cannot reach a log.
 */
export function requestLog(log: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLog(c, next) {
    const incoming = c.req.header("x-request-id");
    const id = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : crypto.randomUUID();
    c.set("requestId", id);
    const start = performance.now();
    await next();
    c.res.headers.set("X-Request-Id", id);
    log.info("request", {
      request_id: id,
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - start) * 10) / 10,
    });
  };
}
