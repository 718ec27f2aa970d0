import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app_env.ts";
import { HttpError } from "../http_error.ts";

/** Paths answered in API.md's JSON error shape rather than with HTML pages. */
export function isApiPath(path: string): boolean {
  return path.startsWith("/api/") || path === "/api" || path === "/healthz" ||
    path === "/readyz" || path === "/metrics";
}

/** True when a request declares a body: a non-zero length, or a chunked one. */
function hasBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return length.trim() !== "0";
  return req.headers.has("transfer-encoding");
}

/**
 * Refuses an `/api/*` request whose body is not `application/json` (a charset
 * parameter is fine) with `415 unsupported_media_type`, before anything is
 * read or changed. This closes cross-site form posts (`text/plain`,
 * `application/x-www-form-urlencoded`, `multipart/form-data`) to the JSON API.
 */
export function requireJson(): MiddlewareHandler<AppEnv> {
  return async function requireJson(c, next) {
    if (hasBody(c.req.raw) && !c.var.route?.anyBody) {
      const type = c.req.header("content-type")?.split(";")[0].trim().toLowerCase();
      if (type !== "application/json") {
        throw new HttpError(
          415,
          "unsupported_media_type",
          `Request body must be application/json, got ${type || "no Content-Type"}`,
        );
      }
    }
    await next();
  };
}

/** Sets `Cache-Control: no-store` on API answers that did not choose their own. */
export function noStore(): MiddlewareHandler<AppEnv> {
  return async function noStore(c, next) {
    await next();
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  };
}
